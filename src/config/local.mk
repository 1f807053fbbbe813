# src/config: the config file, environment and options; key commands;
# the INI reader (shared with the themes); XDG directories.
libaidesk_a_SOURCES += \
	src/config/file.c \
	src/config/ini.c src/config/ini.h \
	src/config/keycmd.h src/config/keycmd_run.c src/config/keycmd_split.c \
	src/config/render.c \
	src/config/settings.c src/config/settings.h src/config/settings_priv.h \
	src/config/values.c \
	src/config/xdg.c src/config/xdg.h

UNIT_TESTS += tests/unit/test_config
tests_unit_test_config_SOURCES = tests/unit/test_config.c $(SLURP_SUPPORT) tests/unit/test.h
tests_unit_test_config_CPPFLAGS = $(TEST_CPPFLAGS)
EXTRA_DIST += tests/files/config/full.conf

# Colour themes: the style table, theme files and the built-ins.
libaidesk_a_SOURCES += src/config/theme.c src/config/theme.h src/config/theme_priv.h \
	src/config/theme_style.c src/config/theme_builtin.c
UNIT_TESTS += tests/unit/test_theme
tests_unit_test_theme_SOURCES = tests/unit/test_theme.c $(SLURP_SUPPORT) tests/unit/test.h
tests_unit_test_theme_CPPFLAGS = $(TEST_CPPFLAGS)
CLEANFILES += template.theme.new
