# ui: the curses console (program only, never in libaidesk.a).
aidesk_SOURCES += \
	ui/console.c ui/console.h \
	ui/cmdrun.c \
	ui/comparepane.c \
	ui/convpane.c \
	ui/gatepane.c \
	ui/headless.c ui/headless.h \
	ui/input.c \
	ui/keys.c \
	ui/panes.c \
	ui/picker.c \
	ui/style.c \
	ui/term.c ui/term.h \
	ui/ui.c ui/ui.h
