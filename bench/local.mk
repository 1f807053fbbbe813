# bench: benchmarks (docs/performance.md). Not part of make check: built by
# "make bench" and run by bench/run, which configures its own build.
EXTRA_PROGRAMS = bench/bench-stream bench/bench-start bench/bench-compare bench/bench-rusage \
	bench/bench-echo
bench_bench_stream_SOURCES = bench/stream.c
bench_bench_stream_LDADD = libaidesk.a $(CURL_LIBS) $(JSONC_LIBS) $(PTHREAD_LIBS) -lm
bench_bench_compare_SOURCES = bench/compare.c
bench_bench_compare_LDADD = libaidesk.a $(CURL_LIBS) $(JSONC_LIBS) $(PTHREAD_LIBS) -lm
bench_bench_start_SOURCES = bench/start.c
bench_bench_start_LDADD = -lutil
bench_bench_rusage_SOURCES = bench/rusage.c
bench_bench_echo_SOURCES = bench/echo.c
bench_bench_echo_LDADD = -lutil
CLEANFILES += $(EXTRA_PROGRAMS)

.PHONY: bench
bench: aidesk$(EXEEXT) $(EXTRA_PROGRAMS)

EXTRA_DIST += bench/run bench/lib.sh bench/console.sh bench/shift.sh bench/mkstate.py \
	bench/peers.sh bench/peers.py bench/peerserver.py bench/peer-sdk.mjs docs/performance.md
# A call's time to first audio and the client's share of it (issue 14).
EXTRA_PROGRAMS += bench/bench-call
bench_bench_call_SOURCES = bench/call.c
bench_bench_call_LDADD = libaidesk.a $(CURL_LIBS) $(JSONC_LIBS) $(PTHREAD_LIBS) -lm
EXTRA_DIST += bench/call.sh
