# src/text: the text engine the panes draw from: display width, markdown,
# wrapping, incremental views and search. Pure: no curses, no I/O.
libaidesk_a_SOURCES += \
	src/text/find.c \
	src/text/md.c src/text/md.h src/text/md_priv.h \
	src/text/md_block.c src/text/md_inline.c \
	src/text/view.c src/text/view.h src/text/view_priv.h \
	src/text/width.c src/text/width.h \
	src/text/width_tab.c src/text/width_tab.h \
	src/text/wrap.c src/text/wrap.h

UNIT_TESTS += tests/unit/test_text_width tests/unit/test_text_md \
	tests/unit/test_text_wrap tests/unit/test_text_view
tests_unit_test_text_width_SOURCES = tests/unit/test_text_width.c tests/unit/test.h
tests_unit_test_text_width_CPPFLAGS = $(TEST_CPPFLAGS)
tests_unit_test_text_md_SOURCES = tests/unit/test_text_md.c tests/unit/test.h
tests_unit_test_text_md_CPPFLAGS = $(TEST_CPPFLAGS)
tests_unit_test_text_wrap_SOURCES = tests/unit/test_text_wrap.c tests/unit/test.h
tests_unit_test_text_wrap_CPPFLAGS = $(TEST_CPPFLAGS)
tests_unit_test_text_view_SOURCES = tests/unit/test_text_view.c tests/unit/test.h
tests_unit_test_text_view_CPPFLAGS = $(TEST_CPPFLAGS)
