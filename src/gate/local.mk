# src/gate: the console's AI Gate controller (sessions, expiry, limits,
# copying) and calls to a session over the Realtime API (callctl.h).
libaidesk_a_SOURCES += \
	src/gate/callctl.c src/gate/callctl.h \
	src/gate/callctl_play.c src/gate/callctl_play.h \
	src/gate/gatectl.c src/gate/gatectl.h \
	src/gate/gatectl_calc.c \
	src/gate/gatectl_copy.c \
	src/gate/gatectl_priv.h

UNIT_TESTS += tests/unit/test_gatectl
tests_unit_test_gatectl_SOURCES = tests/unit/test_gatectl.c $(SLURP_SUPPORT) tests/unit/test.h
tests_unit_test_gatectl_CPPFLAGS = $(TEST_CPPFLAGS)
