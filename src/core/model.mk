# src/core (console model): conversations, drafts, the controller.
libaidesk_a_SOURCES += \
	src/core/conv.c \
	src/core/draftctx.c src/core/draftctx.h \
	src/core/draftq.c src/core/draftq.h \
	src/core/model.c src/core/model.h \
	src/core/model_events.c \
	src/core/model_keep.c src/core/model_priv.h \
	src/core/model_wait.c src/core/wait.h \
	src/core/msgindex.c src/core/msgindex.h \
	src/core/notes.c src/core/notes.h \
	src/core/order.c src/core/order.h \
	src/core/snippet.c src/core/snippet.h
libaidesk_a_SOURCES += \
	src/core/app.c src/core/app.h src/core/app_priv.h \
	src/core/app_chat.c \
	src/core/app_compares.c \
	src/core/app_copy.c \
	src/core/app_drafts.c \
	src/core/app_live.c \
	src/core/app_modes.c \
	src/core/app_route.c \
	src/core/app_undo.c \
	src/core/app_unsent.c \
	src/core/app_wait.c \
	src/core/app_ws.c \
	src/core/copy.c src/core/copy.h \
	src/core/modemem.c src/core/modemem.h

# Shared by the tests below: a whole file read back (slurp.h); the
# controller driven without a screen (apph.h).
SLURP_SUPPORT = tests/unit/slurp.c tests/unit/slurp.h
APP_TEST_SUPPORT = tests/integration/apph.c tests/integration/apph.h $(INTEGRATION_SUPPORT)

UNIT_TESTS += tests/unit/test_model
tests_unit_test_model_SOURCES = tests/unit/test_model.c tests/unit/test.h
tests_unit_test_model_CPPFLAGS = $(TEST_CPPFLAGS)

# The support team's day in the model: waits, the sidebar's order and
# names, drafts in context, rejection notes, code blocks to copy.
UNIT_TESTS += tests/unit/test_day
tests_unit_test_day_SOURCES = tests/unit/test_day.c $(SLURP_SUPPORT) tests/unit/test.h
tests_unit_test_day_CPPFLAGS = $(TEST_CPPFLAGS)

INTEGRATION_TESTS += tests/integration/test_app
tests_integration_test_app_SOURCES = tests/integration/test_app.c $(APP_TEST_SUPPORT)
tests_integration_test_app_CPPFLAGS = $(INTEGRATION_CPPFLAGS)

# The support team's day in the controller (waits, drafts in context,
# notes, handing back, the undo window, copying).
INTEGRATION_TESTS += tests/integration/test_app_day
tests_integration_test_app_day_SOURCES = tests/integration/test_app_day.c \
	$(APP_TEST_SUPPORT) $(SLURP_SUPPORT)
tests_integration_test_app_day_CPPFLAGS = $(INTEGRATION_CPPFLAGS)
libaidesk_a_SOURCES += src/core/export.c src/core/export.h
# The console's AI Gate controller (sessions, expiry, limits, copying).
libaidesk_a_SOURCES += \
	src/core/gatectl.c src/core/gatectl.h src/core/gatectl_priv.h \
	src/core/gatectl_calc.c \
	src/core/gatectl_copy.c

UNIT_TESTS += tests/unit/test_gatectl
tests_unit_test_gatectl_SOURCES = tests/unit/test_gatectl.c $(SLURP_SUPPORT) tests/unit/test.h
tests_unit_test_gatectl_CPPFLAGS = $(TEST_CPPFLAGS)
# Model comparison (issue 5): runs and events, metrics, token counting,
# transcript and export.
libaidesk_a_SOURCES += \
	src/core/compare.c src/core/compare.h src/core/compare_priv.h \
	src/core/compare_access.c \
	src/core/compare_export.c \
	src/core/compare_metrics.c src/core/compare_metrics.h \
	src/core/compare_store.c \
	src/core/compare_tokens.c src/core/compare_tokens.h

UNIT_TESTS += tests/unit/test_compare_metrics tests/unit/test_compare_core
tests_unit_test_compare_metrics_SOURCES = tests/unit/test_compare_metrics.c tests/unit/test.h
tests_unit_test_compare_metrics_CPPFLAGS = $(TEST_CPPFLAGS)
tests_unit_test_compare_core_SOURCES = tests/unit/test_compare_core.c $(SLURP_SUPPORT) tests/unit/test.h
tests_unit_test_compare_core_CPPFLAGS = $(TEST_CPPFLAGS)

UNIT_TESTS += tests/unit/test_draftq
tests_unit_test_draftq_SOURCES = tests/unit/test_draftq.c tests/unit/test.h
tests_unit_test_draftq_CPPFLAGS = $(TEST_CPPFLAGS)
