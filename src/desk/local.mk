# src/desk: the support desk's controller (desk.h): chats, workspaces and
# drafts on the network thread, the live stream, the undo window, messages
# kept unsent, the status line, and the one route of answers and timers.
libaidesk_a_SOURCES += \
	src/desk/copy.c src/desk/copy.h \
	src/desk/desk.c src/desk/desk.h \
	src/desk/desk_chat.c \
	src/desk/desk_compares.c \
	src/desk/desk_copy.c \
	src/desk/desk_drafts.c \
	src/desk/desk_hist.c \
	src/desk/desk_live.c \
	src/desk/desk_modes.c \
	src/desk/desk_priv.h \
	src/desk/desk_route.c \
	src/desk/desk_undo.c \
	src/desk/desk_unsent.c \
	src/desk/desk_wait.c \
	src/desk/desk_ws.c \
	src/desk/modemem.c src/desk/modemem.h

INTEGRATION_TESTS += tests/integration/test_desk
tests_integration_test_desk_SOURCES = tests/integration/test_desk.c $(DESK_TEST_SUPPORT)
tests_integration_test_desk_CPPFLAGS = $(INTEGRATION_CPPFLAGS)

# The support team's day in the controller (waits, drafts in context,
# notes, handing back, the undo window, copying).
INTEGRATION_TESTS += tests/integration/test_desk_day
tests_integration_test_desk_day_SOURCES = tests/integration/test_desk_day.c \
	$(DESK_TEST_SUPPORT) $(SLURP_SUPPORT)
tests_integration_test_desk_day_CPPFLAGS = $(INTEGRATION_CPPFLAGS)

# A long conversation held as a window: opening, earlier messages, /save.
INTEGRATION_TESTS += tests/integration/test_desk_window
tests_integration_test_desk_window_SOURCES = tests/integration/test_desk_window.c \
	$(DESK_TEST_SUPPORT) $(SLURP_SUPPORT)
tests_integration_test_desk_window_CPPFLAGS = $(INTEGRATION_CPPFLAGS)
