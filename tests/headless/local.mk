# The console driven headless by key scripts (ui/headless.h): the panes'
# behaviour in make check, with no terminal and no tmux. Each test
# compares the screens it dumps with tests/headless/expected/.
HEADLESS_TESTS = tests/headless/test_sidebar.sh tests/headless/test_conversation.sh \
	tests/headless/test_drafts.sh tests/headless/test_help.sh \
	tests/headless/test_compare.sh tests/headless/test_gate.sh \
	tests/headless/test_day.sh tests/headless/test_copy.sh tests/headless/test_longdraft.sh
EXTRA_DIST += $(HEADLESS_TESTS) tests/headless/lib.sh tests/headless/api.sh \
	tests/headless/sidebar.keys tests/headless/conversation.keys tests/headless/drafts.keys \
	tests/headless/help.keys tests/headless/compare.keys tests/headless/gate.keys \
	tests/headless/day.keys tests/headless/longdraft.keys \
	tests/headless/gate-tick.keys tests/headless/copy.keys tests/headless/first-run.keys \
	tests/headless/compare-grid.keys tests/headless/copy-osc52.keys \
	tests/headless/expected
# A call from the AI Gate pane.
HEADLESS_TESTS += tests/headless/test_call.sh
EXTRA_DIST += tests/headless/call.keys
# A long conversation held as a window: reading back to its start.
HEADLESS_TESTS += tests/headless/test_window.sh
EXTRA_DIST += tests/headless/window.keys
