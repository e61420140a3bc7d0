#!/usr/bin/env python3
"""Regenerates the gensim fixtures used by Word2VecFormatTests (run with the peers' python:
PY=$(../../../../shared/peers/setup.sh); $PY make_gensim_fixture.py).

Trains a tiny gensim 4.x Word2Vec on a planted corpus, saves its vectors in word2vec text and
binary format, and records gensim's own most_similar answers for comparison."""
import json, random
from gensim.models import Word2Vec

random.seed(3)
groups = [[f"g{g}_{i}" for i in range(6)] for g in range(4)]
sentences = []
for _ in range(400):
    g = random.choice(groups)
    sentences.append([random.choice(g) for _ in range(8)])
with open("gensim-corpus.txt", "w") as f:
    f.write("\n".join(" ".join(s) for s in sentences) + "\n")
m = Word2Vec(sentences, vector_size=12, window=3, min_count=1, sg=1, negative=5, epochs=5, seed=1, workers=1)
m.wv.save_word2vec_format("gensim-vectors.txt", binary=False)
m.wv.save_word2vec_format("gensim-vectors.bin", binary=True)
expected = {
    "vocab_size": len(m.wv),
    "dim": m.wv.vector_size,
    "first_tokens": m.wv.index_to_key[:5],
    "index_to_key": m.wv.index_to_key,
    "counts": [int(m.wv.get_vecattr(k, "count")) for k in m.wv.index_to_key],
    "vector_g0_0": [float(x) for x in m.wv["g0_0"]],
    "most_similar_g0_0": [[k, float(s)] for k, s in m.wv.most_similar("g0_0", topn=5)],
}
json.dump(expected, open("gensim-expected.json", "w"), indent=1)
print("wrote gensim-corpus.txt, gensim-vectors.txt, gensim-vectors.bin, gensim-expected.json")
