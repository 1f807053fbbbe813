# src/core: the --demo simulator launcher, shared by the console and the command line.
libaidesk_a_SOURCES += \
	src/core/simlaunch.c src/core/simlaunch.h src/core/simlaunch_env.c

# Calls to an AI Gate session over the Realtime API (callctl.h).
libaidesk_a_SOURCES += \
	src/core/callctl.c src/core/callctl.h \
	src/core/callctl_play.c src/core/callctl_play.h
