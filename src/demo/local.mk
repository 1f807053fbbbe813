# src/demo: the --demo simulator launcher, shared by the console and the
# command line.
libaidesk_a_SOURCES += \
	src/demo/simlaunch.c src/demo/simlaunch.h \
	src/demo/simlaunch_env.c
