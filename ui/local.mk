# ui: the curses console (program only, never in libaidesk.a). One pane
# per file (registered in ui/panes.h); docs/architecture.md, "The console".
aidesk_SOURCES += \
	ui/console.c ui/console.h \
	ui/frame.c \
	ui/keys.c \
	ui/pane.h ui/panes.c ui/panes.h \
	ui/ui.c ui/ui.h \
	ui/cmds.h ui/cmdtab.c \
	ui/cmd_conv.c \
	ui/line.c \
	ui/input.c \
	ui/inputpane.c \
	ui/sidebar.c \
	ui/day.h ui/attn.c \
	ui/titlebar.c \
	ui/convpane.c \
	ui/msgdraw.c ui/msgdraw.h \
	ui/typing.c \
	ui/draftspane.c \
	ui/statusbar.c \
	ui/helppane.c \
	ui/overlay.c ui/overlay.h \
	ui/picker.c \
	ui/gatepane.c ui/gatepane.h \
	ui/gatecmd.c \
	ui/callpane.c ui/callpane.h \
	ui/comparepane.c \
	ui/comparisons.c \
	ui/copycmd.c \
	ui/headless.c ui/headless.h \
	ui/style.c \
	ui/term.c ui/term.h
