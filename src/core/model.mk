# src/core (console model): conversations, drafts, the controller.
libaidesk_a_SOURCES += \
	src/core/conv.c \
	src/core/model.c src/core/model.h \
	src/core/model_events.c
libaidesk_a_SOURCES += \
	src/core/app.c src/core/app.h src/core/app_priv.h \
	src/core/app_chat.c \
	src/core/app_live.c \
	src/core/app_ws.c

UNIT_TESTS += tests/unit/test_model
tests_unit_test_model_SOURCES = tests/unit/test_model.c tests/unit/test.h
tests_unit_test_model_CPPFLAGS = $(TEST_CPPFLAGS)

INTEGRATION_TESTS += tests/integration/test_app
tests_integration_test_app_SOURCES = tests/integration/test_app.c $(INTEGRATION_SUPPORT)
tests_integration_test_app_CPPFLAGS = $(INTEGRATION_CPPFLAGS)
libaidesk_a_SOURCES += src/core/export.c src/core/export.h
