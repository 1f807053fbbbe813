# src/api: both API clients (AiAssist, AI Gate): request builders, response
# decoders, stream and event decoders, typed errors. Pure: no I/O, no threads.
libaidesk_a_SOURCES += \
	src/api/aiassist.h \
	src/api/aiassist_decode.c \
	src/api/aiassist_events.c src/api/aiassist_events.h \
	src/api/aiassist_msglist.c \
	src/api/aiassist_histfeed.c \
	src/api/aiassist_histwin.c \
	src/api/aiassist_json.h \
	src/api/aiassist_mgr_decode.c \
	src/api/aiassist_mgr_req.c \
	src/api/aiassist_req.c src/api/aiassist_req.h \
	src/api/aiassist_types.c src/api/aiassist_types.h \
	src/api/apitime.c src/api/apitime.h \
	src/api/chat_stream.c src/api/chat_stream.h \
	src/api/chunk_fast.c src/api/chunk_fast.h \
	src/api/dec.c src/api/dec.h \
	src/api/error.c src/api/error.h \
	src/api/error_body.c src/api/error_body.h \
	src/api/error_msg.c \
	src/api/gate.c src/api/gate.h \
	src/api/gate_decode.c \
	src/api/gate_ice.c \
	src/api/gate_kv.c \
	src/api/jsonarg.c src/api/jsonarg.h \
	src/api/req.c src/api/req.h \
	src/api/url.c src/api/url.h

UNIT_TESTS += \
	tests/unit/test_api_error \
	tests/unit/test_api_url \
	tests/unit/test_api_aiassist_req \
	tests/unit/test_api_aiassist_decode \
	tests/unit/test_api_events \
	tests/unit/test_api_stream \
	tests/unit/test_api_gate
tests_unit_test_api_error_SOURCES = tests/unit/test_api_error.c tests/unit/test.h
tests_unit_test_api_error_CPPFLAGS = $(TEST_CPPFLAGS)
tests_unit_test_api_url_SOURCES = tests/unit/test_api_url.c tests/unit/test.h
tests_unit_test_api_url_CPPFLAGS = $(TEST_CPPFLAGS)
tests_unit_test_api_aiassist_req_SOURCES = tests/unit/test_api_aiassist_req.c tests/unit/test.h
tests_unit_test_api_aiassist_req_CPPFLAGS = $(TEST_CPPFLAGS)
tests_unit_test_api_aiassist_decode_SOURCES = tests/unit/test_api_aiassist_decode.c tests/unit/test.h
tests_unit_test_api_aiassist_decode_CPPFLAGS = $(TEST_CPPFLAGS)
tests_unit_test_api_events_SOURCES = tests/unit/test_api_events.c tests/unit/test.h
tests_unit_test_api_events_CPPFLAGS = $(TEST_CPPFLAGS)
tests_unit_test_api_stream_SOURCES = tests/unit/test_api_stream.c tests/unit/test.h
tests_unit_test_api_stream_CPPFLAGS = $(TEST_CPPFLAGS)
tests_unit_test_api_gate_SOURCES = tests/unit/test_api_gate.c tests/unit/test.h
tests_unit_test_api_gate_CPPFLAGS = $(TEST_CPPFLAGS)

UNIT_TESTS += tests/unit/test_chunk_fast
tests_unit_test_chunk_fast_SOURCES = tests/unit/test_chunk_fast.c tests/unit/test.h
tests_unit_test_chunk_fast_CPPFLAGS = $(TEST_CPPFLAGS)

# The OpenAI Realtime API's events (calls to an AI Gate session).
libaidesk_a_SOURCES += src/api/realtime.c src/api/realtime.h
UNIT_TESTS += tests/unit/test_realtime
tests_unit_test_realtime_SOURCES = tests/unit/test_realtime.c tests/unit/test.h
tests_unit_test_realtime_CPPFLAGS = $(TEST_CPPFLAGS)
