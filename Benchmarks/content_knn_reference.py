#!/usr/bin/env python3
"""A reference point for docs/results.md ("Content2vec"): a plain content kNN with no learning.

Same protocol as `recvec evaluate --protocol leave-last-out --hide-items 0.2 --min-count 2 --decay 0.3`
on MovieLens latest-small, re-implemented here: each user's last event (time order, ties in file order)
is the target, the earlier ones the history; a random 20 % of the items is hidden from training (Python's
random with the given seed, so NOT the same hidden set as recvec's); candidates are the items seen at
least twice in training plus the hidden ones, minus the history. Score: cosine between TF-IDF vectors
of content tokens (title words, genres, tags), the history's vectors summed with weight 0.7^age.
Prints hr@20 over all cases, the warm and the hidden targets, and hidden targets ranked among hidden
items only. Usage: python3 Benchmarks/content_knn_reference.py DATASET_DIR SEED
"""
import csv, math, random, re, sys
from collections import defaultdict, Counter
D=sys.argv[1]
ev=defaultdict(list)
with open(f'{D}/sequences.tsv') as f:
    r=csv.reader(f,delimiter='\t'); next(r)
    for n,(u,i,t) in enumerate(r): ev[u].append((float(t),n,i))
tok=defaultdict(set)
with open(f'{D}/metadata.tsv') as f:
    r=csv.reader(f,delimiter='\t'); next(r)
    for i,fl,v in r:
        if fl=='title':
            for w in re.findall(r'\w+',v.lower()): tok[i].add('w:'+w)
        elif fl in('genre','tag'): tok[i].add(fl+'='+v)
items=sorted({i for u in ev for _,_,i in ev[u]})
seed=int(sys.argv[2])
random.seed(seed); hidden=set(random.sample(items, round(0.2*len(items))))
cases=[]; train=Counter()
for u,es in ev.items():
    es.sort(); seq=[i for _,_,i in es]
    if len(seq)<3: continue
    hist,target=seq[:-1],seq[-1]
    cases.append((hist,target))
    for i in hist:
        if i not in hidden: train[i]+=1
cands=[i for i in items if train[i]>=2 or i in hidden]
df=Counter(t for i in cands for t in tok[i]); N=len(cands)
def vec(i):
    v={t:math.log(N/df[t]) for t in tok[i] if df[t]>=2}
    n=math.sqrt(sum(x*x for x in v.values())) or 1
    return {t:x/n for t,x in v.items()}
V={i:vec(i) for i in cands}
inv=defaultdict(list)
for i in cands:
    for t,x in V[i].items(): inv[t].append((i,x))
hits=Counter(); n=Counter()
for hist,target in cases:
    if target not in hidden and train[target]==0: continue
    q=defaultdict(float)
    for a,i in enumerate(reversed(hist)):
        w=0.7**a
        if w<1e-3: break
        for t,x in (V.get(i) or vec(i)).items(): q[t]+=w*x
    s=defaultdict(float)
    for t,x in q.items():
        for i,y in inv.get(t,()): s[i]+=x*y
    h=set(hist)
    top=sorted((i for i in s if i not in h), key=lambda i:-s[i])[:20]
    kind='cold' if target in hidden else 'warm'
    n[kind]+=1; n['all']+=1
    if target in top: hits[kind]+=1; hits['all']+=1
    # cold-only candidates
    topc=sorted((i for i in s if i not in h and i in hidden), key=lambda i:-s[i])[:20]
    if kind=='cold' and target in topc: hits['cold-among-cold']+=1
print({k:(hits[k], n[k if k!='cold-among-cold' else 'cold'], round(hits[k]/max(1,n[k if k!='cold-among-cold' else 'cold']),4)) for k in ['all','warm','cold','cold-among-cold']})
