"""Word lists for the demo network: names, industries, titles and texts.

All of it is invented. Domains end in `.example` (RFC 2606) and phone numbers use the
555 range, so no demo record points at a real organisation or person.
"""

from __future__ import annotations

REGIONS = ("North", "South", "East", "West", "Central")

#: industry -> words that end a company name in that industry
INDUSTRIES: dict[str, tuple[str, ...]] = {
    "Manufacturing": ("Industries", "Manufacturing", "Components", "Fabrication", "Works"),
    "Retail": ("Retail", "Stores", "Outlets", "Markets", "Trading"),
    "Healthcare": ("Health", "Medical", "Clinics", "Care", "Diagnostics"),
    "Logistics": ("Logistics", "Freight", "Transport", "Shipping", "Cargo"),
    "Construction": ("Construction", "Builders", "Engineering", "Structures", "Contractors"),
    "Energy": ("Energy", "Power", "Utilities", "Renewables", "Grid"),
    "Financial Services": ("Finance", "Capital", "Insurance", "Bank", "Partners"),
    "Food & Beverage": ("Foods", "Beverages", "Farms", "Kitchens", "Brewing"),
    "Automotive": ("Motors", "Automotive", "Vehicles", "Auto Parts", "Mobility"),
    "Telecommunications": ("Telecom", "Networks", "Communications", "Connect", "Wireless"),
    "Public Sector": ("Council", "Authority", "Services", "Agency", "Department"),
    "Education": ("Academy", "College", "Schools", "Learning", "Institute"),
    "Hospitality": ("Hotels", "Resorts", "Hospitality", "Catering", "Venues"),
}

NAME_STEMS = (
    "North", "Blue", "Silver", "Apex", "Summit", "River", "Oak", "Granite", "Harbor", "Pioneer",
    "Crest", "Vertex", "Evergreen", "Falcon", "Lumen", "Nova", "Orion", "Pacific", "Quantum",
    "Redwood", "Sterling", "Titan", "Unity", "Vista", "Westbrook", "Zenith", "Aurora", "Beacon",
    "Cedar", "Delta", "Ember", "Fairview", "Golden", "Highland", "Iron", "Juniper", "Keystone",
    "Lakeside", "Maple", "Meadow", "Nimbus", "Onyx", "Prairie", "Ridge", "Sapphire", "Thistle",
    "Upland", "Valley", "Willow", "Yarrow", "Atlas", "Bright", "Coastal", "Dune", "Eagle",
)
NAME_TAILS = (
    "", "field", "wind", "stone", "gate", "bridge", "point", "line", "way", "star", "wood",
    "brook", "haven", "peak", "ford", "light",
)
LEGAL = ("Ltd", "GmbH", "Inc", "AG", "Co.", "Group", "LLC", "S.A.", "plc", "B.V.")

FIRST_NAMES = (
    "Anna", "Ben", "Carla", "David", "Elena", "Felix", "Grace", "Hugo", "Iris", "Jonas", "Karin",
    "Liam", "Maya", "Noah", "Olga", "Pablo", "Quinn", "Rosa", "Samuel", "Tara", "Umar", "Vera",
    "Wei", "Ximena", "Yusuf", "Zoe", "Aiko", "Bruno", "Chloe", "Dmitri", "Emma", "Farah", "Goran",
    "Hana", "Ivan", "Julia", "Kofi", "Lena", "Marco", "Nadia", "Oscar", "Priya", "Rafael", "Sofia",
    "Tomas", "Ursula", "Victor", "Wanda", "Yara", "Zane", "Amir", "Beatriz", "Chen", "Daniela",
    "Erik", "Fatima", "Gabriel", "Helena", "Isaac", "Jana", "Kenji", "Lucia", "Mateo", "Nina",
)
LAST_NAMES = (
    "Adler", "Bauer", "Costa", "Dubois", "Eriksen", "Fischer", "Garcia", "Hansen", "Ito", "Jensen",
    "Kowalski", "Larsen", "Meyer", "Novak", "Okafor", "Petrov", "Quist", "Rossi", "Schmidt",
    "Tanaka", "Usman", "Varga", "Weber", "Xu", "Yilmaz", "Zhang", "Andersen", "Brown", "Chopra",
    "Diaz", "Evans", "Ferreira", "Gruber", "Huber", "Iqbal", "Jovanovic", "Klein", "Lopez",
    "Moreau", "Nakamura", "Olsen", "Park", "Ramos", "Silva", "Torres", "Ueda", "Vogel", "Wagner",
    "Young", "Ziegler", "Abe", "Bianchi", "Carter", "Dahl", "Engel", "Fontaine", "Horvat", "Kim",
    "Lindqvist", "Mendes", "Nieminen", "Ortiz", "Pereira", "Richter", "Sato", "Thomsen", "Wolff",
)

CONTACT_TITLES: dict[str, tuple[str, ...]] = {
    "DECISION_MAKER": ("Chief Executive Officer", "Purchasing Director", "Head of Operations",
                       "Managing Director", "Chief Procurement Officer"),
    "INFLUENCER": ("Chief Financial Officer", "Technical Lead", "Head of Engineering",
                   "Quality Manager", "Senior Consultant"),
    "USER": ("Operations Manager", "Plant Engineer", "Project Manager", "Team Lead",
             "Logistics Coordinator"),
    "GATEKEEPER": ("Executive Assistant", "Procurement Officer", "Office Manager",
                   "Purchasing Assistant"),
}

SUPPLIER_LINES = ("raw-materials", "logistics", "it-services", "packaging", "components",
                  "facilities", "consulting", "energy")

COMPLAINT_CATEGORIES = ("delivery", "quality", "billing", "service", "pricing")

COMPLAINT_TEXTS: dict[str, tuple[str, ...]] = {
    "delivery": ("Shipment arrived a week late", "Wrong items delivered", "Partial delivery without notice",
                 "Goods damaged in transit"),
    "quality": ("Batch failed incoming inspection", "Product stopped working after two weeks",
                "Finish does not match the specification", "Too many defective units"),
    "billing": ("Invoiced twice for the same order", "Discount missing on the invoice",
                "Invoice does not match the purchase order", "Payment terms applied wrongly"),
    "service": ("Nobody answered the support line", "Engineer missed the appointment",
                "Repair took far too long", "Rude treatment by the hotline"),
    "pricing": ("Price increase without notice", "Competitor offers the same for less",
                "Volume discount not honoured", "Surcharges not agreed in the contract"),
}

SUBJECTS: dict[str, tuple[str, ...]] = {
    "MEETING": ("Quarterly business review", "Project kick-off", "Contract negotiation",
                "Roadmap discussion", "Budget planning"),
    "VISIT": ("Site visit", "Plant tour", "On-site workshop", "Courtesy visit"),
    "CALL": ("Follow-up call", "Order status", "Check-in call", "Question about the offer",
             "Delivery schedule"),
    "EMAIL": ("Offer", "Order confirmation", "Product information", "Meeting notes",
              "Price list", "Technical question"),
    "MESSAGE": ("Quick question", "Reminder", "Thanks", "Availability"),
    "FEEDBACK": ("Customer satisfaction survey", "Feedback talk", "Net promoter survey"),
    "SERVICE": ("Maintenance visit", "Support ticket", "Installation", "Repair", "Training"),
    "EVENT": ("Customer day", "Trade fair", "Product launch", "Webinar", "Partner summit"),
}

PLAN_ACTIONS = (
    ("Quarterly business review", "MEETING", "DECISION_MAKER"),
    ("Site visit with the operations team", "VISIT", "USER"),
    ("Satisfaction survey", "FEEDBACK", None),
    ("Present the new product line", "MEETING", "INFLUENCER"),
    ("Renew the annual contract", "MEETING", "DECISION_MAKER"),
    ("Check-in call", "CALL", "GATEKEEPER"),
    ("Invite to the customer day", "EVENT", None),
)
