# src/net: the network thread, the SSE parser, the retry policy.
libaidesk_a_SOURCES += \
	src/net/net.c src/net/net.h \
	src/net/request.c \
	src/net/retry.c src/net/retry.h \
	src/net/sse.c src/net/sse.h \
	src/net/transfer.c src/net/transfer.h

UNIT_TESTS += tests/unit/test_sse tests/unit/test_retry
tests_unit_test_sse_SOURCES = tests/unit/test_sse.c tests/unit/test.h
tests_unit_test_sse_CPPFLAGS = $(TEST_CPPFLAGS)
tests_unit_test_retry_SOURCES = tests/unit/test_retry.c tests/unit/test.h
tests_unit_test_retry_CPPFLAGS = $(TEST_CPPFLAGS)
