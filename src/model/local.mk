# src/model: what the console knows: conversations and their messages,
# drafts, waits, the sidebar's order, rejection notes, what can be copied.
libaidesk_a_SOURCES += \
	src/model/conv.c \
	src/model/convwin.c \
	src/model/draftctx.c src/model/draftctx.h \
	src/model/draftq.c src/model/draftq.h \
	src/model/model.c src/model/model.h \
	src/model/model_events.c \
	src/model/model_keep.c \
	src/model/model_priv.h \
	src/model/model_wait.c \
	src/model/msgindex.c src/model/msgindex.h \
	src/model/notes.c src/model/notes.h \
	src/model/order.c src/model/order.h \
	src/model/snippet.c src/model/snippet.h \
	src/model/wait.h

UNIT_TESTS += tests/unit/test_model
tests_unit_test_model_SOURCES = tests/unit/test_model.c tests/unit/test.h
tests_unit_test_model_CPPFLAGS = $(TEST_CPPFLAGS)

# The support team's day in the model: waits, the sidebar's order and
# names, drafts in context, rejection notes, code blocks to copy.
UNIT_TESTS += tests/unit/test_day
tests_unit_test_day_SOURCES = tests/unit/test_day.c $(SLURP_SUPPORT) tests/unit/test.h
tests_unit_test_day_CPPFLAGS = $(TEST_CPPFLAGS)

UNIT_TESTS += tests/unit/test_draftq
tests_unit_test_draftq_SOURCES = tests/unit/test_draftq.c tests/unit/test.h
tests_unit_test_draftq_CPPFLAGS = $(TEST_CPPFLAGS)
