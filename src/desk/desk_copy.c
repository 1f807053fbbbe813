/* desk_copy.c: copying the last answer of a conversation, or one of its
 * code blocks (desk.h; model/snippet.h finds them, desk/copy.h puts them
 * on the clipboard or in a private file). */
#include "config.h"
#include "desk/desk_priv.h"

#include <stdlib.h>
#include <string.h>

#include "model/snippet.h"
#include "util/mem.h"

bool desk_copy(desk_t *a, const conv *c, int block, copy_out *out, char **err)
{
    memset(out, 0, sizeof *out);
    *err = NULL;
    const msg *m = snip_last_answer(c);
    if (!m) {
        *err = xstrdup("this conversation has no answer yet");
        return false;
    }
    char *text = NULL, *base = NULL;
    const char *ext = ".txt";
    char *name = copy_safe_name(c->title, 60);
    snip_blocks bl;
    memset(&bl, 0, sizeof bl);
    if (block <= 0) {
        text = snip_copy_text(m->text.data, m->text.len);
        base = xasprintf("%s-answer", name);
        ext = ".md";
    } else {
        snip_code_blocks(m->text.data, m->text.len, &bl);
        if ((size_t)block > bl.n) {
            *err = bl.n ? xasprintf("the last answer has %zu code block%s", bl.n,
                                    bl.n == 1 ? "" : "s")
                        : xstrdup("the last answer has no code block");
            snip_blocks_clear(&bl);
            free(name);
            return false;
        }
        const snip_block *b = &bl.v[block - 1];
        text = xstrdup(b->text);
        ext = snip_lang_ext(b->lang);
        base = xasprintf("%s-block-%d", name, block);
    }
    bool ok = copy_text(a->cfg->osc52, "copies", base, ext, text, strlen(text), out, err);
    snip_blocks_clear(&bl);
    free(text);
    free(base);
    free(name);
    return ok;
}
