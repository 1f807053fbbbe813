# Integration tests: the core against the simulator.
INTEGRATION_SUPPORT = tests/integration/simproc.c tests/integration/simproc.h \
	tests/integration/nettest.c tests/integration/nettest.h tests/unit/test.h
INTEGRATION_CPPFLAGS = $(TEST_CPPFLAGS) -I$(top_srcdir)/tests/unit -I$(top_srcdir)/tests/integration

INTEGRATION_TESTS += tests/integration/test_net
tests_integration_test_net_SOURCES = tests/integration/test_net.c $(INTEGRATION_SUPPORT)
tests_integration_test_net_CPPFLAGS = $(INTEGRATION_CPPFLAGS)
