#!/usr/bin/env python3
"""A session-style train/test pair from MovieLens (or any `user_id item_id timestamp` events file), for
`compare_gru4rec.py`: each user's history is one session.

  python3 Benchmarks/movielens_sessions.py ../shared/datasets/movielens-latest-small/sequences.tsv OUT_DIR \
      [--test-fraction 0.15] [--test-length 30]

- Test users: the `--test-fraction` of users whose last event is the latest (ties: the larger user id); all
  their events leave the training file.
- Test sessions: each test user's last `--test-length` events whose items occur in training (GRU4Rec, ours and
  the official code alike, scores a test session at every position, and ours re-reads the whole prefix for
  each case: whole MovieLens histories, up to 2,698 events, would cost quadratic time); sessions left with
  fewer than 2 events are dropped.
- Times: MovieLens gives whole seconds and users rate many movies in the same second. The file's order (user,
  time, item) is kept and made explicit: the j-th of g events sharing a second gets t + j/g, so both
  implementations, whichever sort they use, see the same order within a session.
Writes OUT_DIR/train.tsv and OUT_DIR/test.tsv in RecVec's `events` format with a header
(user_id item_id timestamp session_id; session_id = user_id) and prints their sizes.
"""
import argparse
import collections
from pathlib import Path


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("events")
    ap.add_argument("out")
    ap.add_argument("--test-fraction", type=float, default=0.15)
    ap.add_argument("--test-length", type=int, default=30)
    a = ap.parse_args()

    events = collections.defaultdict(list)  # user -> [(time, item)] in file order
    with open(a.events) as f:
        header = f.readline().rstrip("\n").split("\t")
        u_col, i_col, t_col = header.index("user_id"), header.index("item_id"), header.index("timestamp")
        for line in f:
            row = line.rstrip("\n").split("\t")
            events[row[u_col]].append((int(float(row[t_col])), row[i_col]))

    def timed(history):
        out, j = [], 0
        while j < len(history):
            g = j
            while g < len(history) and history[g][0] == history[j][0]:
                g += 1
            for r in range(j, g):
                out.append((history[r][0] + (r - j) / (g - j), history[r][1]))
            j = g
        return out

    users = sorted(events, key=lambda u: (max(t for t, _ in events[u]), int(u) if u.isdigit() else u))
    n_test = max(1, round(len(users) * a.test_fraction))
    test_users, train_users = users[-n_test:], users[:-n_test]
    train_items = {i for u in train_users for _, i in events[u]}

    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    n_train = n_test_events = n_sessions = 0
    with open(out / "train.tsv", "w") as f:
        f.write("user_id\titem_id\ttimestamp\tsession_id\n")
        for u in sorted(train_users, key=lambda u: int(u) if u.isdigit() else u):
            for t, i in timed(events[u]):
                f.write(f"{u}\t{i}\t{t:.6f}\t{u}\n")
                n_train += 1
    with open(out / "test.tsv", "w") as f:
        f.write("user_id\titem_id\ttimestamp\tsession_id\n")
        for u in sorted(test_users, key=lambda u: int(u) if u.isdigit() else u):
            kept = [(t, i) for t, i in timed(events[u]) if i in train_items][-a.test_length:]
            if len(kept) < 2:
                continue
            n_sessions += 1
            for t, i in kept:
                f.write(f"{u}\t{i}\t{t:.6f}\t{u}\n")
                n_test_events += 1
    print(f"train: {n_train} events, {len(train_users)} sessions, {len(train_items)} items; "
          f"test: {n_test_events} events, {n_sessions} sessions ({n_test} users held out), "
          f"{n_test_events - n_sessions} next-item cases")


if __name__ == "__main__":
    main()
