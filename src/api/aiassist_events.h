/* aiassist_events.h: the manager's live events (GET /api/manager/events).
 *
 * Each server-sent event has an id (an integer, to resume with
 * Last-Event-ID), a type and JSON data. ai_event_decode turns one into a
 * typed ai_event. Unknown types decode to AI_EV_UNKNOWN so that a newer
 * server does not break an older aidesk: ignore them. A known type with
 * malformed data is an error (the caller may log and skip it). */
#ifndef AIDESK_API_AIASSIST_EVENTS_H
#define AIDESK_API_AIASSIST_EVENTS_H

#include <stddef.h>

#include "api/aiassist_types.h"

typedef enum ai_event_type {
    AI_EV_UNKNOWN,
    AI_EV_WORKSPACE_CREATED, /* workspace */
    AI_EV_WORKSPACE_ENDED,   /* workspace */
    AI_EV_MESSAGE_CREATED,   /* workspace_id, message */
    AI_EV_MESSAGE_DELTA,     /* workspace_id, message_id, delta: a reply being written */
    AI_EV_DRAFT_PENDING,     /* draft */
    AI_EV_DRAFT_APPROVED,    /* draft, message */
    AI_EV_DRAFT_REJECTED,    /* draft, reason */
    AI_EV_TYPING,            /* workspace_id, who, text */
    AI_EV_MODE_CHANGED,      /* workspace_id, mode, previous */
    AI_EV_RESET,             /* reason, last_event_id: reload everything */
} ai_event_type;

typedef enum ai_typing_who {
    AI_WHO_CUSTOMER,
    AI_WHO_AGENT,
    AI_WHO_OTHER, /* a value this aidesk does not know (kept in who_raw) */
} ai_typing_who;

typedef struct ai_event {
    ai_event_type type;
    char *type_raw;       /* the SSE event type as sent */
    char *id;             /* the SSE id, or NULL */
    /* workspace_id is filled for every event about one workspace (taken
     * from the workspace or draft when the data has no workspace_id). */
    char *workspace_id;
    ai_workspace *workspace;
    ai_message *message;
    char *message_id;
    char *delta;
    ai_draft *draft;
    char *reason;         /* draft.rejected, reset (or NULL) */
    ai_typing_who who;
    char *who_raw;
    char *text;           /* typing preview */
    ai_mode mode, previous;
    char *mode_raw, *previous_raw;
    char *last_event_id;  /* reset: the id to resume after, as text (or NULL) */
} ai_event;

/* Decodes one event. type is the SSE event type (NULL or "" count as
 * "message", which is unknown), data/len its data, sse_id its id (copied,
 * may be NULL). Returns a new event, or NULL with *err set (caller frees). */
ai_event *ai_event_decode(const char *type, const char *data, size_t len, const char *sse_id,
                          char **err);
void ai_event_free(ai_event *ev);

/* "workspace.created", ... for a type; "unknown" for AI_EV_UNKNOWN. */
const char *ai_event_type_name(ai_event_type t);

#endif
