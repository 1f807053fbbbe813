/* notes.h: the console's own notes in a conversation.
 *
 * A rejected draft used to leave no trace: the queue lost a row and the
 * conversation showed nothing. Now the rejection leaves a note in its
 * workspace: that a draft was rejected, its reason, by whom and when as
 * far as this console knows, and what can be done next (reply as a human,
 * take over, ask the AI again: desk_send with as_agent, desk_set_mode,
 * desk_ask_ai_again).
 *
 * A note is a message of kind MSG_KIND_NOTE (model.h) with role
 * AI_ROLE_SYSTEM: local, never sent, never exported (export/export.h), and
 * never counted as unread or as an answer. Its text is a plain sentence
 * for a pane that draws it like any message; notice holds the same facts
 * for a pane that draws them its own way. It sits among the messages at
 * its time (the rejection's), so that it follows the message the draft
 * answered.
 *
 * The notes are made from the model's memory of drafts that left the
 * queue (model_draft_fate): a draft.rejected event and this console's own
 * rejection both go through model_note_rejection, which makes one note
 * per draft (its id is "note-" and the draft's id) and refines it as more
 * is known. A workspace whose messages left memory (the bound) gets its
 * notes back when its history is loaded again; a restart forgets them
 * (the service keeps no rejected drafts in a history).
 *
 * Plain data, no I/O; UI thread only. */
#ifndef AIDESK_MODEL_NOTES_H
#define AIDESK_MODEL_NOTES_H

#include <stdbool.h>
#include <stdint.h>

#include "model/model.h"

typedef enum note_what {
    NOTE_DRAFT_REJECTED,
} note_what;

typedef struct msg_note {
    note_what what;
    char *draft_id;
    char *reason;     /* as given, or NULL when none was */
    char *draft_text; /* what the draft said, or NULL when unknown */
    draft_by by;      /* who rejected it, as far as this console knows */
    int64_t at_ms;    /* when (wall clock), 0 when unknown */
} msg_note;

/* The prefix of a note's id. */
#define NOTE_ID_PREFIX "note-"

/* Records that draft draft_id was rejected: reason and content (either may
 * be NULL) join what the model remembers of it, and its workspace, when in
 * memory, gets (or has refreshed) its note. Does nothing for a draft the
 * model does not remember as rejected (a withdrawal because its workspace
 * ended is not a rejection). Returns the note, or NULL. */
msg *model_note_rejection(model *m, const char *draft_id, const char *reason,
                          const char *content);

/* Puts back in c the notes of the rejections the model remembers for it
 * (conv_merge_history does it when c's history is first loaded). */
void model_notes_restore(model *m, conv *c);

/* Whether mm is one of the console's notes. */
static inline bool msg_is_note(const msg *mm)
{
    return mm->kind == MSG_KIND_NOTE;
}

#endif
