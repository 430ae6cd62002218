"""Texts that are not contracts, written by us, for bench/doctype_eval.py: the product must say
each is not a contract instead of reviewing it. Some sit close to contracts on purpose (an
invoice with payment terms, a letter about an agreement, a policy page)."""

from __future__ import annotations

NOT_CONTRACTS: tuple[tuple[str, str], ...] = (
    ("greeting", "hello world"),
    ("single word", "test"),
    (
        "lorem ipsum",
        "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod "
        "tempor incididunt ut labore et dolore magna aliqua. Ut enim ad minim veniam.",
    ),
    (
        "recipe",
        "Tomato soup for four. Soften one chopped onion in butter for ten minutes. Add two "
        "tins of tomatoes, a pint of stock and a pinch of sugar. Simmer for twenty minutes, blend "
        "until smooth and season to taste. Serve with crusty bread.",
    ),
    (
        "invoice",
        "INVOICE No. 2291\nBill to: Harbour Lights Cafe, 4 Quay Street\nDate: 3 March\n"
        "Description: espresso machine service, 2 hours labour, 1 gasket\n"
        "Subtotal 240.00\nVAT 48.00\n"
        "Total due 288.00\nPayment terms: 30 days from the invoice date.\n"
        "Bank: 20-11-45 / 88812345.",
    ),
    (
        "meeting notes",
        "Weekly sync, Tuesday. Attendees: Priya, Marco, Jun. Marco demoed the new "
        "onboarding flow; two bugs found in the email step. Priya to update the roadmap slide. Jun "
        "asked about the Q3 budget; to be discussed next week. Next meeting Tuesday 10:00.",
    ),
    (
        "news item",
        "The city council voted on Monday to extend the tram line by three stops to the "
        "new hospital. Construction is expected to start next spring and take two years. Residents "
        "along the route raised concerns about noise during the works.",
    ),
    (
        "poem",
        "The tide comes in on silver feet,\nit reads the sand like old receipts,\nand every "
        "shell it leaves behind\nis a small word for a larger mind.",
    ),
    ("code", "def add(a, b):\n    return a + b\n\nfor i in range(10):\n    print(add(i, i))\n"),
    (
        "shopping list",
        "Milk, eggs, bread, two lemons, washing-up liquid, batteries (AA), coffee "
        "beans, a birthday card for Ana.",
    ),
    (
        "cover letter",
        "Dear hiring manager, I am writing to apply for the role of data analyst. In "
        "my current job I build weekly dashboards for the sales team and automate reporting. "
        "I would "
        "welcome the chance to discuss how I could help your team. Kind regards, Sam Okafor.",
    ),
    (
        "product description",
        "The Trailhead 40 is a lightweight hiking backpack with a ventilated "
        "back panel, hip-belt pockets, a rain cover and room for a 3-litre hydration bladder. "
        "Available in moss, slate and rust.",
    ),
    (
        "weather",
        "Tomorrow: cloudy with sunny spells, highs of 14 degrees, a light westerly breeze. "
        "Rain arriving from the west in the evening, heavy at times overnight.",
    ),
    (
        "email about a meeting",
        "Hi Lena, thanks for your time today. As discussed, I will send "
        "the updated slides by Friday and book a follow-up for next week. Best, Tom",
    ),
    (
        "travel itinerary",
        "Day 1: arrive Lisbon, check in at the hotel, dinner in Alfama. Day 2: "
        "tram 28, Belem tower, pasteis. Day 3: train to Sintra, Pena palace. "
        "Day 4: fly home 18:40.",
    ),
    (
        "release notes",
        "Version 2.4.1. Fixed: export to CSV dropped the last row. Fixed: dark mode "
        "colours in the settings dialog. Improved: search is faster on large folders. Known issue: "
        "the tray icon may not appear on some Linux desktops.",
    ),
    (
        "medical leaflet",
        "Take one tablet twice a day with food. Do not take more than four "
        "tablets in 24 hours. If you feel dizzy, sit down until it passes. "
        "Keep out of the reach of "
        "children. Store below 25 degrees.",
    ),
    (
        "essay paragraph",
        "The printing press did not simply make books cheaper; it changed who "
        "could argue in public. Pamphlets travelled faster than sermons, and readers learned to "
        "compare one claim with another.",
    ),
    (
        "table of numbers",
        "Region, Q1, Q2, Q3, Q4\nNorth, 120, 135, 128, 150\nSouth, 98, 101, 110, "
        "117\nEast, 143, 139, 151, 160\nWest, 87, 90, 95, 99",
    ),
    ("chat message", "lol did you see the match last night?? that last-minute goal was unreal"),
)
