# src/compare: model comparison: runs and events, metrics, token
# counting, transcript and export.
libaidesk_a_SOURCES += \
	src/compare/compare.c src/compare/compare.h \
	src/compare/compare_access.c \
	src/compare/compare_export.c \
	src/compare/compare_metrics.c src/compare/compare_metrics.h \
	src/compare/compare_priv.h \
	src/compare/compare_store.c \
	src/compare/compare_tokens.c src/compare/compare_tokens.h

UNIT_TESTS += tests/unit/test_compare_metrics tests/unit/test_compare_core
tests_unit_test_compare_metrics_SOURCES = tests/unit/test_compare_metrics.c tests/unit/test.h
tests_unit_test_compare_metrics_CPPFLAGS = $(TEST_CPPFLAGS)
tests_unit_test_compare_core_SOURCES = tests/unit/test_compare_core.c $(SLURP_SUPPORT) tests/unit/test.h
tests_unit_test_compare_core_CPPFLAGS = $(TEST_CPPFLAGS)
