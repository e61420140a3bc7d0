#!/usr/bin/env python3
"""Synthetic event logs at any size, with a power-law catalogue and planted groups (issue 10).

    gen_events.py generate OUT [--events N] [--users U] [--items I] [--groups G] [--session-length L]
                               [--zipf S] [--user-zipf S] [--noise P] [--switch P] [--seed N]
                               [--format events|sequences]
    gen_events.py check VECTORS GROUPS [--queries 2000] [--k 10] [--seed 1]

generate writes OUT (gzip when it ends in .gz) and OUT's groups next to it (OUT without .gz/.tsv/.txt,
then ".groups.tsv": item_id, group):

- Items i0…i(I−1) fall into G groups at random. Their popularity is Zipf(S) over a random ranking, so
  the catalogue has a long tail whatever its size.
- Users u0…u(U−1) act with Zipf(user-zipf) activity; each has a home group (drawn by the groups'
  popularity mass) and a session stays in its group: with probability `switch` a session picks another
  group instead (by mass).
- A session has 2 + Geometric events (mean `session-length`); each event is, with probability
  `noise`, an item drawn from the whole catalogue by popularity, else one from the session's group by
  popularity. Events within a session are 30 s to 5 min apart; a user's sessions are hours to days apart.

`--format events` writes `user_id session_id item_id timestamp` (TSV, header); `sequences` one session
per line. check reads word2vec text vectors (`recvec export`) and the groups file and prints how many
of each sampled item's k nearest neighbours (cosine) share its group, against the chance level: a
model that learned the planted structure is far above chance.

Needs numpy (the peers' virtualenv has it: ~/.cache/recvec-peers/bin/python). 10 M events take about
a minute on this machine; the output is streamed in chunks, so memory stays small at any size.
"""
import argparse
import gzip
import os
import sys
import time

import numpy as np


def groups_path(out):
    base = out
    for suffix in (".gz", ".tsv", ".txt"):
        if base.endswith(suffix):
            base = base[: -len(suffix)]
    return base + ".groups.tsv"


def zipf_weights(n, s, rng):
    """Popularity ∝ 1/rank^s over a random ranking of n ids."""
    ranks = rng.permutation(n) + 1
    return 1.0 / np.power(ranks, s)


def generate(a):
    t0 = time.time()
    rng = np.random.default_rng(a.seed)
    item_group = rng.integers(0, a.groups, size=a.items)
    popularity = zipf_weights(a.items, a.zipf, rng)
    # Items ordered by group; each group's CDF shifted by its index, so that one searchsorted over
    # (group + u) draws from the right group.
    order = np.lexsort((np.arange(a.items), item_group))
    sorted_group = item_group[order]
    sorted_weight = popularity[order]
    mass = np.bincount(item_group, weights=popularity, minlength=a.groups)
    if (mass == 0).any():
        sys.exit("every group needs at least one item: use fewer groups or more items")
    within = sorted_weight / mass[sorted_group]
    shifted_cdf = np.cumsum(within)
    # cumsum accumulates across groups: subtract each group's start to restart at 0, add the group index.
    starts = np.searchsorted(sorted_group, np.arange(a.groups))
    group_offset = np.repeat(np.concatenate(([0.0], shifted_cdf[starts[1:] - 1])), np.diff(np.append(starts, a.items)))
    shifted_cdf = shifted_cdf - group_offset + sorted_group
    global_cdf = np.cumsum(popularity) / popularity.sum()
    group_mass = mass / mass.sum()
    group_cdf = np.cumsum(group_mass)

    user_activity = zipf_weights(a.users, a.user_zipf, rng)
    user_cdf = np.cumsum(user_activity) / user_activity.sum()
    user_home = np.minimum(np.searchsorted(group_cdf, rng.random(a.users)), a.groups - 1)
    user_clock = rng.integers(1_500_000_000, 1_500_000_000 + 30 * 86400, size=a.users).astype(np.int64)

    opener = gzip.open if a.out.endswith(".gz") else open
    kwargs = {"compresslevel": 1} if a.out.endswith(".gz") else {}
    written = 0
    sessions = 0
    mean_extra = max(a.session_length - 2, 0.01)
    with opener(a.out, "wt", **kwargs) as f:
        if a.format == "events":
            f.write("user_id\tsession_id\titem_id\ttimestamp\n")
        while written < a.events:
            n_sessions = max(1, min(200_000, int((a.events - written) / a.session_length) + 1))
            users = np.minimum(np.searchsorted(user_cdf, rng.random(n_sessions)), a.users - 1)
            groups = user_home[users].copy()
            switch = rng.random(n_sessions) < a.switch
            groups[switch] = np.minimum(np.searchsorted(group_cdf, rng.random(switch.sum())), a.groups - 1)
            lengths = 2 + rng.geometric(1.0 / (1.0 + mean_extra), size=n_sessions) - 1
            total = int(lengths.sum())
            if written + total > a.events:  # cut the last sessions to land on the exact count
                cum = np.cumsum(lengths)
                keep = int(np.searchsorted(cum, a.events - written, side="right"))
                if keep == 0:
                    keep, lengths = 1, np.array([a.events - written])
                    users, groups = users[:1], groups[:1]
                else:
                    lengths, users, groups = lengths[:keep], users[:keep], groups[:keep]
                total = int(lengths.sum())
            event_group = np.repeat(groups, lengths)
            noisy = rng.random(total) < a.noise
            u = rng.random(total)
            picks = np.empty(total, dtype=np.int64)
            local = ~noisy
            idx = np.searchsorted(shifted_cdf, event_group[local] + u[local])
            picks[local] = order[np.minimum(idx, a.items - 1)]
            picks[noisy] = np.minimum(np.searchsorted(global_cdf, u[noisy]), a.items - 1)
            # Times: a user's sessions hours to days apart, events 30 s to 5 min apart.
            gaps = rng.integers(30, 300, size=total)
            starts_in = np.cumsum(lengths) - lengths
            gaps[starts_in] = 0
            within_session = np.cumsum(gaps) - np.repeat(np.cumsum(gaps)[starts_in] - gaps[starts_in], lengths)
            session_start = np.empty(len(lengths), dtype=np.int64)
            for k, usr in enumerate(users):  # per-user clocks advance in session order
                user_clock[usr] += int(rng.integers(3600, 5 * 86400))
                session_start[k] = user_clock[usr]
                user_clock[usr] += int(within_session[starts_in[k] + lengths[k] - 1])
            times = np.repeat(session_start, lengths) + within_session
            ids = np.arange(sessions, sessions + len(lengths))
            if a.format == "events":
                ev_user = np.repeat(users, lengths)
                ev_session = np.repeat(ids, lengths)
                lines = [
                    f"u{uu}\ts{ss}\ti{ii}\t{tt}\n"
                    for uu, ss, ii, tt in zip(ev_user.tolist(), ev_session.tolist(), picks.tolist(), times.tolist())
                ]
                f.write("".join(lines))
            else:
                out = []
                pos = 0
                items = picks.tolist()
                for length in lengths.tolist():
                    out.append(" ".join(f"i{x}" for x in items[pos : pos + length]))
                    pos += length
                f.write("\n".join(out) + "\n")
            written += total
            sessions += len(lengths)
    with open(groups_path(a.out), "w") as g:
        g.write("item_id\tgroup\n")
        g.write("".join(f"i{i}\t{grp}\n" for i, grp in enumerate(item_group.tolist())))
    size = os.path.getsize(a.out)
    print(
        f"wrote {a.out}: {written} events, {sessions} sessions, {a.users} users, {a.items} items in {a.groups} groups "
        f"({size / 1e6:.1f} MB, {time.time() - t0:.1f} s); groups in {groups_path(a.out)}",
        file=sys.stderr,
    )


def check(a):
    group = {}
    with open(a.groups) as f:
        next(f)
        for line in f:
            item, g = line.rstrip("\n").split("\t")
            group[item] = int(g)
    tokens, rows = [], []
    with open(a.vectors, encoding="utf-8") as f:
        header = f.readline().split()
        dim = int(header[1])
        for line in f:
            parts = line.rstrip("\n").split(" ")
            if parts[0] in group and len(parts) >= dim + 1:
                tokens.append(parts[0])
                rows.append(np.asarray(parts[1 : dim + 1], dtype=np.float32))
    if len(tokens) < 2:
        sys.exit("no vector of the groups file's items")
    m = np.vstack(rows)
    m /= np.maximum(np.linalg.norm(m, axis=1, keepdims=True), 1e-12)
    labels = np.array([group[t] for t in tokens])
    rng = np.random.default_rng(a.seed)
    queries = rng.choice(len(tokens), size=min(a.queries, len(tokens)), replace=False)
    same = 0
    for start in range(0, len(queries), 256):
        q = queries[start : start + 256]
        scores = m[q] @ m.T
        scores[np.arange(len(q)), q] = -np.inf
        top = np.argpartition(-scores, a.k, axis=1)[:, : a.k]
        same += int((labels[top] == labels[q][:, None]).sum())
    purity = same / (len(queries) * a.k)
    counts = np.bincount(labels)
    chance = float(((counts / counts.sum()) ** 2).sum())
    print(
        f"{len(tokens)} items with vectors; {len(queries)} queries: {purity:.3f} of the {a.k} nearest share the "
        f"item's group (chance {chance:.3f}, {purity / chance:.0f}x)"
    )


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="command", required=True)
    g = sub.add_parser("generate")
    g.add_argument("out")
    g.add_argument("--events", type=int, default=10_000_000)
    g.add_argument("--users", type=int, default=200_000)
    g.add_argument("--items", type=int, default=100_000)
    g.add_argument("--groups", type=int, default=1_000)
    g.add_argument("--session-length", type=float, default=8.0)
    g.add_argument("--zipf", type=float, default=1.0, help="item popularity exponent")
    g.add_argument("--user-zipf", type=float, default=0.8, help="user activity exponent")
    g.add_argument("--noise", type=float, default=0.1, help="share of events drawn from the whole catalogue")
    g.add_argument("--switch", type=float, default=0.2, help="share of sessions outside the user's home group")
    g.add_argument("--seed", type=int, default=1)
    g.add_argument("--format", choices=["events", "sequences"], default="events")
    c = sub.add_parser("check")
    c.add_argument("vectors")
    c.add_argument("groups")
    c.add_argument("--queries", type=int, default=2000)
    c.add_argument("--k", type=int, default=10)
    c.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    if a.command == "generate":
        if a.events < 1 or a.items < 1 or a.users < 1 or a.groups < 1 or a.session_length < 2:
            sys.exit("events, users, items and groups must be positive, session-length at least 2")
        generate(a)
    else:
        check(a)


if __name__ == "__main__":
    main()
