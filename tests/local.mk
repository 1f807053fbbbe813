# Test wiring. Every test speaks TAP; automake's TAP driver counts each case.
check_PROGRAMS += $(UNIT_TESTS) $(INTEGRATION_TESTS)

LOG_DRIVER = env AM_TAP_AWK='$(AWK)' $(SHELL) $(top_srcdir)/build-aux/tap-driver.sh
PY_LOG_DRIVER = $(LOG_DRIVER)
PY_LOG_COMPILER = $(PYTHON3)
SH_LOG_DRIVER = $(LOG_DRIVER)
SH_LOG_COMPILER = $(SHELL)
TEST_EXTENSIONS = .py .sh

# What the tests need to find: the simulator and the program.
AM_TESTS_ENVIRONMENT = \
	AIDESK_SIM='$(abs_top_srcdir)/sim/aidesk-sim'; export AIDESK_SIM; \
	AIDESK_BIN='$(abs_top_builddir)/aidesk'; export AIDESK_BIN; \
	AIDESK_BUILDDIR='$(abs_top_builddir)'; export AIDESK_BUILDDIR; \
	AIDESK_SRCDIR='$(abs_top_srcdir)'; export AIDESK_SRCDIR; \
	PYTHON3='$(PYTHON3)'; export PYTHON3;

if HAVE_CMOCKA
TESTS = $(UNIT_TESTS) $(SIM_TESTS) $(INTEGRATION_TESTS) $(SOAK_TESTS) $(HEADLESS_TESTS)
if HAVE_TMUX
TESTS += $(TUI_TESTS)
endif
else
TESTS = $(SIM_TESTS)
check-local:
	@echo "make check needs cmocka, which configure did not find." >&2
	@echo "Install it (Debian: apt-get install libcmocka-dev) or run scripts/setup, then re-run configure." >&2
	@exit 1
endif

EXTRA_DIST += $(SIM_TESTS) $(TUI_TESTS) $(SOAK_TESTS)
