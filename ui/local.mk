# ui: the curses console (program only, never in libaidesk.a).
aidesk_SOURCES += \
	ui/console.c ui/console.h
