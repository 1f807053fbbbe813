# themes: the colour themes shipped with aidesk, installed where
# theme_search_dirs looks last ($(pkgdatadir)/themes). template.theme lists
# every style with its description; tests/unit/test_theme checks that it
# matches the style table and that every theme here loads.
themesdir = $(pkgdatadir)/themes
dist_themes_DATA = \
	themes/default.theme \
	themes/high-contrast.theme \
	themes/light.theme \
	themes/monochrome.theme \
	themes/template.theme
