"""The people of the benchmark desk: 20 agents in two groups with ordinary rights (not
superusers), and 2,000 customers, a few of them with the priority service level."""

import random

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

AGENTS = 20
CUSTOMERS = 2000
AGENT_PASSWORD = "bench"
FIRST_NAMES = [
    "Anna",
    "Jan",
    "Maria",
    "Piotr",
    "Olga",
    "Ivan",
    "Sofia",
    "Lukas",
    "Emma",
    "Noah",
    "Mia",
    "Leon",
    "Zofia",
    "Pavel",
    "Elena",
    "Tomas",
    "Ewa",
    "Mikhail",
    "Julia",
    "Adam",
    "Clara",
    "Oskar",
    "Natalia",
    "Felix",
    "Irina",
    "Marek",
    "Hanna",
    "David",
    "Vera",
    "Karol",
]
LAST_NAMES = [
    "Nowak",
    "Kowalski",
    "Wisniewska",
    "Ivanova",
    "Petrov",
    "Smith",
    "Jones",
    "Muller",
    "Schmidt",
    "Novak",
    "Horvat",
    "Dvorak",
    "Kuznetsova",
    "Sokolov",
    "Lewandowski",
    "Brown",
    "Garcia",
    "Rossi",
    "Bianchi",
    "Fischer",
    "Weber",
    "Kaminska",
    "Zielinski",
]


def ensure_people(rng):
    """Agents ``agent01``…``agent20`` (password ``bench``) and customers ``customer0001``….
    Returns (agents, customers) as lists of users."""
    from sandbox.demo.people import FIRST_LINE, TECHNICAL, ensure_groups

    User = get_user_model()
    groups = ensure_groups()
    password = make_password(AGENT_PASSWORD)
    agents = []
    for i in range(1, AGENTS + 1):
        agent, _ = User.objects.get_or_create(
            username=f"agent{i:02}",
            defaults={
                "email": f"agent{i:02}@desk.example",
                "first_name": rng.choice(FIRST_NAMES),
                "last_name": rng.choice(LAST_NAMES),
                "password": password,
            },
        )
        agent.groups.add(groups[FIRST_LINE if i <= 14 else TECHNICAL])
        agents.append(agent)
    unusable = make_password(None)
    User.objects.bulk_create(
        [
            User(
                username=f"customer{i:04}",
                email=f"customer{i:04}@mail{i % 37}.example",
                first_name=rng.choice(FIRST_NAMES),
                last_name=rng.choice(LAST_NAMES),
                password=unusable,
            )
            for i in range(1, CUSTOMERS + 1)
        ],
        ignore_conflicts=True,
    )
    customers = list(User.objects.filter(username__startswith="customer").order_by("username"))
    return agents, customers


def pick_customers(rng, customers, count):
    """Customers by a long-tailed distribution: a few write often, most write once or twice."""
    weights = [1 / (rank + 10) for rank in range(len(customers))]
    order = customers[:]
    random.Random(rng.random()).shuffle(order)
    return rng.choices(order, weights=weights, k=count)
