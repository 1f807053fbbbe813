# src/export: conversations written out as Markdown and JSON.
libaidesk_a_SOURCES += \
	src/export/export.c src/export/export.h
