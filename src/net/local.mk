# src/net: the network thread, the SSE parser, the retry policy.
libaidesk_a_SOURCES += \
	src/net/batch.c src/net/batch.h \
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

# The SSE parser against public test vectors, and resuming a cut event stream
# exactly once; both read their data from tests/files/sse.
SSE_TEST_SUPPORT = tests/unit/test_sse_data.c tests/unit/test_sse_data.h tests/unit/test.h
UNIT_TESTS += tests/unit/test_sse_vectors tests/unit/test_sse_resume
tests_unit_test_sse_vectors_SOURCES = tests/unit/test_sse_vectors.c $(SSE_TEST_SUPPORT)
tests_unit_test_sse_vectors_CPPFLAGS = $(TEST_CPPFLAGS)
tests_unit_test_sse_resume_SOURCES = tests/unit/test_sse_resume.c $(SSE_TEST_SUPPORT)
tests_unit_test_sse_resume_CPPFLAGS = $(TEST_CPPFLAGS)
EXTRA_DIST += tests/files/sse/conformance.txt tests/files/sse/manager-stream.txt

# WebSocket: the RFC 6455 framer and opening handshake (pure), and the
# connections the network thread runs over libcurl's connect-only mode.
libaidesk_a_SOURCES += \
	src/net/ws.h \
	src/net/wsconn.c src/net/wsconn.h \
	src/net/wsframe.c src/net/wsframe.h \
	src/net/wshs.c src/net/wshs.h
UNIT_TESTS += tests/unit/test_wsframe
tests_unit_test_wsframe_SOURCES = tests/unit/test_wsframe.c tests/unit/test.h
tests_unit_test_wsframe_CPPFLAGS = $(TEST_CPPFLAGS)
