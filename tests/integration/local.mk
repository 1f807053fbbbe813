# Integration tests: the core against the simulator.
INTEGRATION_SUPPORT = tests/integration/simproc.c tests/integration/simproc.h \
	tests/integration/xdgtmp.c tests/integration/xdgtmp.h \
	tests/integration/nettest.c tests/integration/nettest.h tests/unit/test.h
INTEGRATION_CPPFLAGS = $(TEST_CPPFLAGS) -I$(top_srcdir)/tests/unit -I$(top_srcdir)/tests/integration
# Shared by tests of several folders: a whole file read back (slurp.h);
# the desk driven without a screen (deskh.h).
SLURP_SUPPORT = tests/unit/slurp.c tests/unit/slurp.h
DESK_TEST_SUPPORT = tests/integration/deskh.c tests/integration/deskh.h $(INTEGRATION_SUPPORT)

INTEGRATION_TESTS += tests/integration/test_net
tests_integration_test_net_SOURCES = tests/integration/test_net.c $(INTEGRATION_SUPPORT)
tests_integration_test_net_CPPFLAGS = $(INTEGRATION_CPPFLAGS)

# The command line (src/cli): its parser and streaming sanitiser, then the
# real aidesk binary ($AIDESK_BIN) against the simulator.
CLI_TEST_SUPPORT = tests/integration/test_cli_lib.c tests/integration/test_cli_lib.h \
	$(INTEGRATION_SUPPORT)
INTEGRATION_TESTS += tests/integration/test_cli_unit tests/integration/test_cli_chat \
	tests/integration/test_cli_ws tests/integration/test_cli_gate
tests_integration_test_cli_unit_SOURCES = tests/integration/test_cli_unit.c tests/unit/test.h
tests_integration_test_cli_unit_CPPFLAGS = $(INTEGRATION_CPPFLAGS)
tests_integration_test_cli_chat_SOURCES = tests/integration/test_cli_chat.c $(CLI_TEST_SUPPORT)
tests_integration_test_cli_chat_CPPFLAGS = $(INTEGRATION_CPPFLAGS)
tests_integration_test_cli_ws_SOURCES = tests/integration/test_cli_ws.c $(CLI_TEST_SUPPORT)
tests_integration_test_cli_ws_CPPFLAGS = $(INTEGRATION_CPPFLAGS)
tests_integration_test_cli_gate_SOURCES = tests/integration/test_cli_gate.c $(CLI_TEST_SUPPORT)
tests_integration_test_cli_gate_CPPFLAGS = $(INTEGRATION_CPPFLAGS)
# The console on a pseudo-terminal: how its frames reach the terminal.
INTEGRATION_TESTS += tests/integration/test_console_tty
tests_integration_test_console_tty_SOURCES = tests/integration/test_console_tty.c $(CLI_TEST_SUPPORT)
tests_integration_test_console_tty_CPPFLAGS = $(INTEGRATION_CPPFLAGS)
# Calls that may have been applied although they failed: never twice.
INTEGRATION_TESTS += tests/integration/test_cli_retry
tests_integration_test_cli_retry_SOURCES = tests/integration/test_cli_retry.c $(CLI_TEST_SUPPORT)
tests_integration_test_cli_retry_CPPFLAGS = $(INTEGRATION_CPPFLAGS)

# The console's AI Gate controller (src/gate/gatectl.h) against the simulator.
INTEGRATION_TESTS += tests/integration/test_gatectl
tests_integration_test_gatectl_SOURCES = tests/integration/test_gatectl.c $(INTEGRATION_SUPPORT)
tests_integration_test_gatectl_CPPFLAGS = $(INTEGRATION_CPPFLAGS)

# Model comparison (issue 5): the core against the simulator, and
# "aidesk compare".
INTEGRATION_TESTS += tests/integration/test_compare tests/integration/test_compare_cli
tests_integration_test_compare_SOURCES = tests/integration/test_compare.c $(INTEGRATION_SUPPORT)
tests_integration_test_compare_CPPFLAGS = $(INTEGRATION_CPPFLAGS)
tests_integration_test_compare_cli_SOURCES = tests/integration/test_compare_cli.c $(CLI_TEST_SUPPORT)
tests_integration_test_compare_cli_CPPFLAGS = $(INTEGRATION_CPPFLAGS)

# The manager event stream cut inside an event (the simulator's cut_at_byte):
# every event exactly once after the reconnect, through the network thread
# and through "aidesk ws watch".
INTEGRATION_TESTS += tests/integration/test_sse_resume
tests_integration_test_sse_resume_SOURCES = tests/integration/test_sse_resume.c $(CLI_TEST_SUPPORT)
tests_integration_test_sse_resume_CPPFLAGS = $(INTEGRATION_CPPFLAGS)

# The fault soak (about two minutes): two consoles without a screen
# (soak_console) and the command line send while the simulator is killed
# and restarted at random; every message arrives once or is kept.
check_PROGRAMS += tests/integration/soak_console
tests_integration_soak_console_SOURCES = tests/integration/soak_console.c
tests_integration_soak_console_CPPFLAGS = $(INTEGRATION_CPPFLAGS)
SOAK_TESTS = tests/integration/test_soak.py

# Calls to a Realtime session: WebSocket connections on the network thread.
INTEGRATION_TESTS += tests/integration/test_call_ws
tests_integration_test_call_ws_SOURCES = tests/integration/test_call_ws.c $(INTEGRATION_SUPPORT)
tests_integration_test_call_ws_CPPFLAGS = $(INTEGRATION_CPPFLAGS)
INTEGRATION_TESTS += tests/integration/test_call
tests_integration_test_call_SOURCES = tests/integration/test_call.c $(INTEGRATION_SUPPORT)
tests_integration_test_call_CPPFLAGS = $(INTEGRATION_CPPFLAGS)
INTEGRATION_TESTS += tests/integration/test_call_cli
tests_integration_test_call_cli_SOURCES = tests/integration/test_call_cli.c $(CLI_TEST_SUPPORT)
tests_integration_test_call_cli_CPPFLAGS = $(INTEGRATION_CPPFLAGS)
# TLS end to end: the simulator with a throwaway CA's certificate (made
# with the openssl command; skipped, loudly, without it), aidesk trusting
# it through --ca-file / ca_file for https:// and wss://.
INTEGRATION_TESTS += tests/integration/test_call_tls
tests_integration_test_call_tls_SOURCES = tests/integration/test_call_tls.c $(CLI_TEST_SUPPORT)
tests_integration_test_call_tls_CPPFLAGS = $(INTEGRATION_CPPFLAGS)
