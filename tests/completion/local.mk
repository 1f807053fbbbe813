# Shell completion (issue 15): the scripts "aidesk completion" writes,
# driven in bash (and in zsh when it is installed) against the simulator.
COMPLETION_TESTS = tests/completion/test_completion.sh
TESTS += $(COMPLETION_TESTS)
EXTRA_DIST += $(COMPLETION_TESTS)
