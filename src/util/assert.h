/* assert.h: assertions of internal invariants.
 *
 * AIDESK_ASSERT(e) checks e in builds configured with --enable-debug
 * (AIDESK_DEBUG, from config.h, which every file includes first): when e
 * is false it prints the expression, the file and the line, and aborts.
 * Otherwise e is compiled (so it stays correct) but never evaluated, and
 * costs nothing: an assertion must not have side effects.
 *
 * Use it for what this program guarantees itself (queue accounting,
 * counts that must never go below zero, an object's single owner), never
 * for what comes from outside (a server's answer, a file, the user), which
 * is checked and reported in words.
 *
 * The static analyser (scan-build defines __clang_analyzer__) always sees
 * the checking form, so that it follows only the paths the invariants
 * allow. */
#ifndef AIDESK_UTIL_ASSERT_H
#define AIDESK_UTIL_ASSERT_H

/* Writes "aidesk: internal error: assertion 'expr' failed at file:line
 * (func)" to stderr and aborts. */
void aidesk_assert_fail(const char *expr, const char *file, int line, const char *func)
    __attribute__((noreturn, cold));

#if defined(AIDESK_DEBUG) || defined(__clang_analyzer__)
#define AIDESK_ASSERT(e) \
    ((e) ? (void)0 : aidesk_assert_fail(#e, __FILE__, __LINE__, __func__))
#else
#define AIDESK_ASSERT(e) ((void)sizeof((e) ? 1 : 0))
#endif

#endif
