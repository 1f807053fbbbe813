# src/core (console model): conversations, drafts, the controller.
libaidesk_a_SOURCES += \
	src/core/conv.c \
	src/core/model.c src/core/model.h \
	src/core/model_events.c
libaidesk_a_SOURCES += \
	src/core/app.c src/core/app.h src/core/app_priv.h \
	src/core/app_chat.c \
	src/core/app_live.c \
	src/core/app_ws.c
