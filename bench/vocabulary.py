"""Subjects and message texts of the benchmark desk: many distinct, realistic requests, so search,
trigram similarity and the planner's statistics see text shaped like a real desk's (no HTML
special characters: the same text stands in stored HTML mail)."""

PROBLEMS = (
    "did not arrive",
    "arrived damaged",
    "is missing a part",
    "was charged twice",
    "cannot be installed",
    "stopped working",
    "shows an error",
    "is too slow",
    "was sent to the wrong address",
    "cannot be paid by card",
    "needs a new invoice",
    "will not start after the update",
    "keeps disconnecting",
    "lost my settings",
    "is the wrong size",
    "has no manual",
    "makes a strange noise",
    "cannot log in",
    "asks for a licence key",
    "was cancelled by mistake",
)
THINGS = (
    "order",
    "parcel",
    "invoice",
    "printer",
    "router",
    "laptop",
    "phone case",
    "license",
    "subscription",
    "account",
    "refund",
    "installer",
    "mobile app",
    "coffee machine",
    "keyboard",
    "monitor",
    "headphones",
    "gift card",
    "delivery",
    "warranty repair",
    "backup tool",
    "password reset",
    "newsletter",
    "web shop",
    "scanner",
    "camera",
    "smart watch",
    "desk lamp",
    "office chair",
    "charger",
)
OPENINGS = (
    "Hello,",
    "Good morning,",
    "Hi there,",
    "Dear support team,",
    "Hello again,",
    "Good afternoon,",
)
DETAILS = (
    "I ordered it two weeks ago and the tracking page has not changed since Monday.",
    "The error appears right after the splash screen and the program closes.",
    "I already restarted everything twice and followed the guide on your site.",
    "My colleague has the same model and it works fine on his computer.",
    "The payment shows twice on my bank statement for the same amount.",
    "The box was torn and the front panel is cracked in one corner.",
    "It worked until yesterday evening, then it stopped without any message.",
    "I need the invoice with our company tax number for the accounting department.",
    "The courier said the parcel was delivered but nobody was at home.",
    "Could you please tell me what I should do next and how long it will take.",
    "I attach nothing now but can send photos if you need them.",
    "We use it every day in the office, so this is quite urgent for us.",
)
ANSWERS = (
    "Thank you for writing to us. We checked your order and contacted the courier.",
    "Sorry for the trouble. Please try the latest version from our downloads page.",
    "We have refunded the second payment; it reaches your account in three working days.",
    "A replacement is on its way to you, and the courier picks up the damaged one.",
    "Please send us the serial number from the label on the back of the device.",
    "We issued a corrected invoice; you find it attached to this message in your account.",
    "Our technical department looked at the log and found the cause of the error.",
)
REPLIES = (
    "Thank you, that helped and everything works now.",
    "It still does not work, the same error appears again.",
    "The serial number is on the sticker, here it is: SN-48213-77.",
    "I tried the new version but the program still closes.",
    "Thanks for the quick answer, I will wait for the courier.",
    "Could you also send the invoice to my colleague in accounting?",
)
NOTES = (
    "Checked with the warehouse: shipped on time, the delay is on the courier side.",
    "Second line: known issue with the last update, fix planned for next release.",
    "Customer called as well, same question. Answered by phone.",
    "Refund approved by finance, reference attached in the payment system.",
)


def request(rng, number):
    thing = rng.choice(THINGS)
    subject = f"My {thing} {rng.choice(PROBLEMS)}"
    if rng.random() < 0.3:
        subject += f" (order {rng.randrange(10000, 99999)})"
    details = " ".join(rng.sample(DETAILS, rng.randrange(1, 4)))
    question = f"{rng.choice(OPENINGS)}\n\nmy {thing} {rng.choice(PROBLEMS)}. {details}\n\nRegards"
    return subject, question


def texts(rng, number):
    subject, question = request(rng, number)
    return {
        "subject": subject,
        "question": question,
        "answer": rng.choice(ANSWERS) + " " + rng.choice(ANSWERS),
        "third": rng.choice(REPLIES + NOTES),
        "closing": rng.choice(ANSWERS),
    }


def markers(index):
    """Texts for a prototype: unique, so the copier finds and replaces each of them."""
    return {
        key: f"Prototype {key} {index} text"
        for key in ("subject", "question", "answer", "third", "closing")
    }
