# src/cli: the non-interactive subcommands (aidesk chat, ws ..., gate ...):
# option parsing, the request runner, output (sanitised text or JSON).
libaidesk_a_SOURCES += \
	src/cli/agent.c \
	src/cli/args.c src/cli/args.h \
	src/cli/chat.c \
	src/cli/chat_save.c src/cli/chat_save.h \
	src/cli/cli.c src/cli/cli.h src/cli/cli_priv.h \
	src/cli/cmdtab.c \
	src/cli/config_cmd.c \
	src/cli/ctx.c \
	src/cli/gate.c \
	src/cli/gate_call.c \
	src/cli/idem.c \
	src/cli/json_out.c \
	src/cli/out.c \
	src/cli/run.c \
	src/cli/sanstream.c src/cli/sanstream.h \
	src/cli/watch.c src/cli/watch.h \
	src/cli/watch_poll.c \
	src/cli/ws.c \
	src/cli/ws_send.c \
	src/cli/ws_unsent.c src/cli/ws_unsent.h
# "aidesk compare" (issue 5).
libaidesk_a_SOURCES += src/cli/compare.c
# Shell completion: "aidesk completion bash|zsh", written from the command
# table (issue 15).
libaidesk_a_SOURCES += src/cli/complete.c src/cli/complete.h \
	src/cli/complete_bash.c src/cli/complete_zsh.c
# The scripts are written by the program just built, so that they match
# it; make install puts them where the shells look (see configure's
# --with-bash-completion-dir and --with-zsh-completion-dir).
if INSTALL_BASH_COMPLETION
nodist_bashcompletion_DATA = completion/aidesk
endif
if INSTALL_ZSH_COMPLETION
nodist_zshcompletion_DATA = completion/_aidesk
endif
completion/aidesk: aidesk$(EXEEXT)
	$(AM_V_GEN)$(MKDIR_P) completion && ./aidesk$(EXEEXT) completion bash >$@-t && mv -f $@-t $@
completion/_aidesk: aidesk$(EXEEXT)
	$(AM_V_GEN)$(MKDIR_P) completion && ./aidesk$(EXEEXT) completion zsh >$@-t && mv -f $@-t $@
CLEANFILES += completion/aidesk completion/_aidesk
