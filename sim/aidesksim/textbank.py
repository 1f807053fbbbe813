"""Template material for the reply generator (textgen.py)."""

# keyword -> topic.  First match in the last user message wins.
TOPIC_KEYWORDS = [
    ("markdown", ("markdown", "showcase", "kitchen sink", "render test", "all elements", "demo reply")),
    ("greeting", ("hello", "hi!", "hey", "good morning", "good evening")),
    ("refund", ("refund", "money back", "return", "chargeback")),
    ("order", ("order", "ord-", "purchase", "bought")),
    ("shipping", ("ship", "deliver", "tracking", "package", "parcel", "courier")),
    ("account", ("password", "login", "log in", "sign in", "2fa", "locked", "account")),
    ("billing", ("bill", "invoice", "charge", "payment", "card", "subscription")),
    ("code", ("code", "function", "python", "program", "compile", "bug", "script", "segfault")),
    ("poem", ("poem", "haiku", "verse", "sonnet")),
]

TOPIC_NAMES = {
    "markdown": "formatting", "greeting": "getting started", "refund": "your refund",
    "order": "your order", "shipping": "the delivery", "account": "account access",
    "billing": "billing", "code": "the code", "poem": "a short poem", "general": "{subject}",
}

OPENERS = {
    "openai": ["Sure — here's what I can tell you about {topic}.",
               "Absolutely. Let's look at {topic} together."],
    "anthropic": ["Happy to help with {topic}. Let me walk through it carefully.",
                  "Good question about {topic}; I'll be precise and note any uncertainty."],
    "groq": ["Quick answer on {topic}:", "Fast take on {topic}:"],
    "gemini": ["Here's an overview of {topic}.", "Let's break down {topic}."],
    "mistral": ["Voilà — a concise take on {topic}.", "In short, about {topic}:"],
    "xai": ["Alright, {topic}. Let's get into it.", "{topic}? Sure, no fluff."],
    "together": ["Here is a structured answer about {topic}."],
    "openrouter": ["(Routed automatically.) Regarding {topic}:"],
    "deepseek": ["Let me think about {topic} step by step.",
                 "Reasoning about {topic} first, then the answer."],
    "fireworks": ["Here's a fast, practical answer about {topic}."],
    "perplexity": ["According to several sources [1][2], here is what matters about {topic}."],
    "pin": ["[peer operator-alias] Answering from a community node about {topic}."],
}

SENTENCES = {
    "general": [
        "The short version is that *{subject}* depends mostly on context.",
        "A good first step is to write down what you expect and what actually happens.",
        "In practice, **small experiments** beat long debates.",
        "You can check the current value with `status --verbose` before changing anything.",
        "Most people find that the default settings work well for {subject}.",
        "If something looks off, compare it with a known-good example.",
        "Keep a note of each change so you can undo it later.",
        "The details vary, but the principle stays the same.",
        "It is worth reading the *official documentation* once end to end.",
        "There is rarely a single right answer, only trade-offs.",
    ],
    "order": [
        "I checked {order} and it is currently **being packed** at our warehouse.",
        "Orders usually leave the warehouse within *one business day*.",
        "You can follow every step on the `Orders` page of your account.",
        "If an item is out of stock, we split the shipment and tell you by email.",
        "Your order total already includes taxes and the shipping fee.",
        "Changes to an order are possible until it is marked **shipped**.",
    ],
    "refund": [
        "Refunds go back to the **original payment method**.",
        "Once approved, a refund takes *3–5 business days* to appear.",
        "I can start the return for {order} right away.",
        "Please keep the item in its original packaging if you can.",
        "You will receive a prepaid label by email; print it and drop the parcel off.",
        "The status will change to `refund_pending` as soon as we scan the parcel.",
    ],
    "shipping": [
        "Your parcel is **in transit** and should arrive within *two days*.",
        "The carrier updates tracking once a day, usually in the evening.",
        "You can use the tracking code `TRK-{digits}` on the carrier's site.",
        "If nobody is home, the courier leaves a note and tries again tomorrow.",
        "Express shipping upgrades are possible until the parcel leaves the warehouse.",
    ],
    "account": [
        "For security, I can't see or change your password directly.",
        "Use **Forgot password** on the sign-in page to get a reset link.",
        "The reset link is valid for *30 minutes*.",
        "If two-factor authentication is on, keep your `backup codes` somewhere safe.",
        "After five failed attempts the account is locked for 15 minutes.",
    ],
    "billing": [
        "Your last invoice is available under **Billing → Invoices**.",
        "Charges appear as `ACME*SUPPORT` on your statement.",
        "A pending authorisation disappears within *a few days* if it is not captured.",
        "You can switch to yearly billing at any time and keep your current features.",
        "I can resend the invoice to another address if you need one for accounting.",
    ],
    "code": [
        "The bug is most likely an **off-by-one** in the loop bound.",
        "Check the return value of every call that can fail, such as `malloc` or `read`.",
        "Here is a minimal version you can compile and test on its own.",
        "Keep the function *pure* where you can; it makes testing much easier.",
        "Run it under a sanitizer (`-fsanitize=address`) to catch memory errors early.",
    ],
    "greeting": [
        "Hi there! 👋 How can I help you today?",
        "I can answer questions, explain things, or help you write code.",
        "Ask away — *no question is too small*.",
        "I can also summarise long texts or draft a reply for you.",
        "If you paste an error message, I will explain what it means and how to fix it.",
        "For account or order questions, tell me your **order number** and I will look it up.",
    ],
    "markdown": [
        "This reply exercises **every** element a renderer should handle.",
        "Inline styles: *emphasis*, **strong**, and `inline code` in one line.",
        "Wrapped paragraphs should reflow when the window is resized.",
    ],
}

POEM_LINES = [
    "Silicon dreams in quiet rows,", "a cursor blinks where language grows;",
    "each token falls like autumn rain,", "and meaning gathers, line by line, again.",
    "The servers hum a patient tune,", "beneath a pale fluorescent moon;",
    "we ask, it answers, word by word —", "the softest thunder ever heard.",
]

CLOSERS = [
    "Let me know if anything is unclear.",
    "Is there anything else I can help you with?",
    "I hope this helps!",
    "Feel free to ask a follow-up question.",
]

LIST_ITEMS = [
    "Check the **current status** first", "Write down the `error code` if there is one",
    "Try the *simplest* fix before anything else", "Restart and try again",
    "Compare with a working setup", "Contact support with the details above",
    "Keep a backup of your settings", "Update to the latest version",
]

STEPS = [
    "Open the **Settings** page.", "Select *Account* in the sidebar.",
    "Click `Reset` and confirm.", "Wait for the confirmation email.",
    "Sign in again with the new details.", "Verify that everything works.",
]

CODE_C = """```c
#include <stdio.h>
#include <string.h>

/* Count the words in a line: a word is a run of non-space characters. */
static size_t count_words(const char *s)
{
    size_t n = 0;
    int in_word = 0;
    for (; *s != '\\0'; s++) {
        if (*s == ' ' || *s == '\\t') {
            in_word = 0;
        } else if (!in_word) {
            in_word = 1;
            n++;
        }
    }
    return n;
}

int main(void)
{
    printf("%zu\\n", count_words("hello  brave new world"));
    return 0;
}
```"""

CODE_PY = """```python
def chunked(items, size):
    \"\"\"Yield lists of at most `size` items.\"\"\"
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


print(list(chunked(range(7), 3)))  # [[0, 1, 2], [3, 4, 5], [6]]
```"""

CJK_LINES = [
    "中文摘要：我们已经收到您的请求，会尽快处理。",
    "日本語：ご不便をおかけして申し訳ありません。すぐに対応いたします。",
]

EMOJI_LINE = "Thanks for your patience 🙏 — our team 👩‍💻 is on it ✅ 🚀 🇯🇵 🇫🇷"

PERPLEXITY_SOURCES = [
    "[1] https://help.example.com/articles/getting-started",
    "[2] https://docs.example.org/reference/faq",
]

# Simulated customers -----------------------------------------------------

CUSTOMER_NAMES = ["alice", "bob", "chen", "dara", "emeka", "fatima", "gustav",
                  "hana", "ivan", "jules", "kofi", "lena", "mateo", "noor",
                  "olga", "priya", "quinn", "rosa", "sven", "tomoko"]
TIERS = ["free", "standard", "premium", "enterprise"]

CUSTOMER_OPENERS = [
    "Hi, my order {order} still hasn't arrived and it's been a week.",
    "Hello, I'd like a refund for {order}, the item arrived damaged.",
    "I can't log in to my account, the password reset email never comes.",
    "Where is my package? The tracking for {order} hasn't moved in three days.",
    "I was charged twice for {order}, can you check?",
    "Can I change the shipping address on {order}?",
    "The discount code didn't apply at checkout, can you help?",
    "How do I cancel my subscription before the next billing date?",
]

CUSTOMER_FOLLOWUPS = [
    "Thanks. How long will that take?",
    "Is there a tracking number I can use?",
    "Can you send me a confirmation by email?",
    "OK, and what if it doesn't work?",
    "Could you check once more, please?",
    "Great, that's all I needed.",
    "Do I need to do anything else on my side?",
]

SUPPORT_PROMPT = "You are a friendly customer support agent for ACME Inc."
