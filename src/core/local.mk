# src/core: the --demo simulator launcher, shared by the console and the command line.
libaidesk_a_SOURCES += \
	src/core/simlaunch.c src/core/simlaunch.h src/core/simlaunch_env.c
