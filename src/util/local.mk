# src/util: buffers, strings, UTF-8, sanitising, JSON access, time, logging,
# base URLs, errors and assertions.
libaidesk_a_SOURCES += \
	src/util/assert.c src/util/assert.h \
	src/util/baseurl.c src/util/baseurl.h \
	src/util/buf.c src/util/buf.h \
	src/util/clock.c src/util/clock.h \
	src/util/emoji.c src/util/emoji.h \
	src/util/err.c src/util/err.h \
	src/util/jsonarr.c src/util/jsonarr.h \
	src/util/jsonarr_feed.c src/util/jsonarr_feed.h \
	src/util/jsonu.c src/util/jsonu.h \
	src/util/log.c src/util/log.h \
	src/util/mem.c src/util/mem.h \
	src/util/sanitize.c src/util/sanitize.h \
	src/util/timefmt.c src/util/timefmt.h \
	src/util/utf8.c src/util/utf8.h

UNIT_TESTS += tests/unit/test_util
tests_unit_test_util_SOURCES = tests/unit/test_util.c tests/unit/test.h
tests_unit_test_util_CPPFLAGS = $(TEST_CPPFLAGS)

# The history walk fed in pieces, against the walk of the whole answer.
UNIT_TESTS += tests/unit/test_jsonarr_feed
tests_unit_test_jsonarr_feed_SOURCES = tests/unit/test_jsonarr_feed.c tests/unit/test.h
tests_unit_test_jsonarr_feed_CPPFLAGS = $(TEST_CPPFLAGS)

# One authority per fact: base URLs, times as text, errors, assertions.
UNIT_TESTS += tests/unit/test_baseurl tests/unit/test_timefmt tests/unit/test_err \
	tests/unit/test_assert
tests_unit_test_baseurl_SOURCES = tests/unit/test_baseurl.c tests/unit/test.h
tests_unit_test_baseurl_CPPFLAGS = $(TEST_CPPFLAGS)
tests_unit_test_timefmt_SOURCES = tests/unit/test_timefmt.c tests/unit/test.h
tests_unit_test_timefmt_CPPFLAGS = $(TEST_CPPFLAGS)
tests_unit_test_err_SOURCES = tests/unit/test_err.c tests/unit/test.h
tests_unit_test_err_CPPFLAGS = $(TEST_CPPFLAGS)
tests_unit_test_assert_SOURCES = tests/unit/test_assert.c tests/unit/test.h
tests_unit_test_assert_CPPFLAGS = $(TEST_CPPFLAGS)

# The strict JSON layer against JSONTestSuite's cases (see the README there).
UNIT_TESTS += tests/unit/test_json_suite
tests_unit_test_json_suite_SOURCES = tests/unit/test_json_suite.c tests/unit/test.h
tests_unit_test_json_suite_CPPFLAGS = $(TEST_CPPFLAGS)
EXTRA_DIST += tests/files/jsontestsuite/README.md tests/files/jsontestsuite/i_outcomes.txt \
	tests/files/jsontestsuite/test_parsing/n_number_-00.0.json \
	tests/files/jsontestsuite/test_parsing/n_number_-00e0.json \
	tests/files/jsontestsuite/test_parsing/n_number_00.0.json \
	tests/files/jsontestsuite/test_parsing/n_number_00e0.json \
	tests/files/jsontestsuite/test_parsing/n_string_octal_escape.json

# Base64 for the WebSocket handshake and the Realtime API's audio.
libaidesk_a_SOURCES += src/util/b64.c src/util/b64.h
# WAV files of PCM16 audio (Realtime calls).
libaidesk_a_SOURCES += src/util/wav.c src/util/wav.h
