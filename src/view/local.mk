# src/view: the console's view logic without curses: layout, scrolling,
# the command table.
libaidesk_a_SOURCES += \
	src/view/commands.c src/view/commands.h \
	src/view/layout.c src/view/layout.h \
	src/view/scroll.c src/view/scroll.h

UNIT_TESTS += tests/unit/test_view
tests_unit_test_view_SOURCES = tests/unit/test_view.c tests/unit/test.h
tests_unit_test_view_CPPFLAGS = $(TEST_CPPFLAGS)

UNIT_TESTS += tests/unit/test_export
tests_unit_test_export_SOURCES = tests/unit/test_export.c tests/unit/test.h \
	tests/integration/xdgtmp.c tests/integration/xdgtmp.h
tests_unit_test_export_CPPFLAGS = $(TEST_CPPFLAGS) -I$(top_srcdir)/tests/integration
# The model comparison's column layout (issue 5).
libaidesk_a_SOURCES += src/view/compare_layout.c src/view/compare_layout.h
UNIT_TESTS += tests/unit/test_compare_layout
tests_unit_test_compare_layout_SOURCES = tests/unit/test_compare_layout.c tests/unit/test.h
tests_unit_test_compare_layout_CPPFLAGS = $(TEST_CPPFLAGS)
