# tests/fuzz: libFuzzer targets (docs/architecture.md, "Fuzzing"). Built only
# with --enable-fuzz (clang); 'make fuzz' builds them and runs each for
# FUZZ_SECONDS (default 20; 0 replays the seed corpus only) over its seeds
# in tests/fuzz/corpus/<target>, failing on any crash, leak, UB or finding.
FUZZ_TARGETS = tests/fuzz/fuzz_sse tests/fuzz/fuzz_chunk tests/fuzz/fuzz_decode \
	tests/fuzz/fuzz_config
FUZZ_LDADD = libaidesk.a $(CURL_LIBS) $(JSONC_LIBS) $(PTHREAD_LIBS) -lm

if ENABLE_FUZZ
noinst_PROGRAMS = $(FUZZ_TARGETS)
endif
tests_fuzz_fuzz_sse_SOURCES = tests/fuzz/fuzz_sse.c tests/fuzz/fuzz.h
tests_fuzz_fuzz_sse_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
tests_fuzz_fuzz_sse_LDADD = $(FUZZ_LDADD)
tests_fuzz_fuzz_chunk_SOURCES = tests/fuzz/fuzz_chunk.c tests/fuzz/fuzz.h
tests_fuzz_fuzz_chunk_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
tests_fuzz_fuzz_chunk_LDADD = $(FUZZ_LDADD)
tests_fuzz_fuzz_decode_SOURCES = tests/fuzz/fuzz_decode.c tests/fuzz/fuzz.h
tests_fuzz_fuzz_decode_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
tests_fuzz_fuzz_decode_LDADD = $(FUZZ_LDADD)
tests_fuzz_fuzz_config_SOURCES = tests/fuzz/fuzz_config.c tests/fuzz/fuzz.h
tests_fuzz_fuzz_config_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
tests_fuzz_fuzz_config_LDADD = $(FUZZ_LDADD)

EXTRA_DIST += tests/fuzz/run tests/fuzz/corpus tests/fuzz/dict
.PHONY: fuzz
if ENABLE_FUZZ
fuzz: $(FUZZ_TARGETS)
	FUZZ_SECONDS='$(FUZZ_SECONDS)' $(SHELL) $(top_srcdir)/tests/fuzz/run \
		'$(top_srcdir)/tests/fuzz' $(FUZZ_TARGETS)
else
fuzz:
	@echo "make fuzz needs a build configured with --enable-fuzz (and clang with libFuzzer)." >&2
	@exit 1
endif

clean-local: clean-fuzz
.PHONY: clean-fuzz
clean-fuzz:
	-rm -rf tests/fuzz/work
