# End-to-end tests of the console in tmux (run when tmux is installed).
TUI_TESTS += tests/tui/test_workspace.sh tests/tui/test_chat.sh tests/tui/test_offline.sh \
	tests/tui/test_queue.sh \
	tests/tui/test_terminal.sh tests/tui/test_compare.sh tests/tui/test_gate.sh \
	tests/tui/test_day_drafts.sh tests/tui/test_day_attention.sh
# A call to an AI Gate session from the Gate pane.
TUI_TESTS += tests/tui/test_call.sh
EXTRA_DIST += tests/tui/lib.sh
