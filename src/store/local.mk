# src/store: what aidesk keeps on disk: transcripts, unsent messages, the
# input history, atomic small-file writes and the locks that let several
# processes share one data directory.
libaidesk_a_SOURCES += \
	src/store/file.c src/store/file.h \
	src/store/histfile.c src/store/histfile.h \
	src/store/lock.c \
	src/store/paths.c src/store/paths.h \
	src/store/store_priv.h \
	src/store/transcript.c src/store/transcript.h \
	src/store/transcript_list.c src/store/transcript_read.c \
	src/store/unsent.c src/store/unsent.h src/store/unsent_priv.h \
	src/store/unsent_legacy.c src/store/unsent_list.c src/store/unsent_rec.c

UNIT_TESTS += tests/unit/test_store
tests_unit_test_store_SOURCES = tests/unit/test_store.c tests/unit/test.h
tests_unit_test_store_CPPFLAGS = $(TEST_CPPFLAGS)
