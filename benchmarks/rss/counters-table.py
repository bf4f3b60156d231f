#!/usr/bin/env python3
"""dotnet-counters CSV (System.Runtime) to one row per sample: benchmarks/rss/counters-table.py OUT/counters.csv [every]"""
import csv, sys, collections
rows = collections.OrderedDict()
names = {
 'dotnet.process.memory.working_set (By)': 'ws_MB',
 'dotnet.gc.last_collection.memory.committed_size (By)': 'commit_MB',
 'dotnet.gc.last_collection.heap.size (By)[gc.heap.generation=gen0]': 'g0_MB',
 'dotnet.gc.last_collection.heap.size (By)[gc.heap.generation=gen1]': 'g1_MB',
 'dotnet.gc.last_collection.heap.size (By)[gc.heap.generation=gen2]': 'g2_MB',
 'dotnet.gc.last_collection.heap.size (By)[gc.heap.generation=loh]': 'loh_MB',
 'dotnet.gc.last_collection.heap.fragmentation.size (By)[gc.heap.generation=gen2]': 'g2frag_MB',
 'dotnet.gc.heap.total_allocated (By / 5 sec)': 'alloc_MB/s',
 'dotnet.gc.collections ({collection} / 5 sec)[gc.heap.generation=gen0]': 'gc0',
 'dotnet.gc.collections ({collection} / 5 sec)[gc.heap.generation=gen1]': 'gc1',
 'dotnet.gc.collections ({collection} / 5 sec)[gc.heap.generation=gen2]': 'gc2',
 'dotnet.timer.count ({timer})': 'timers',
}
for r in csv.reader(open(sys.argv[1])):
    if r[0] == 'Timestamp' or r[2] not in names: continue
    rows.setdefault(r[0], {})[names[r[2]]] = float(r[4])
cols = list(names.values())
every = int(sys.argv[2]) if len(sys.argv) > 2 else 1
print('t_s ' + ' '.join(cols))
t0 = None
import datetime
for i, (ts, v) in enumerate(rows.items()):
    t = datetime.datetime.strptime(ts, '%m/%d/%Y %H:%M:%S')
    t0 = t0 or t
    if i % every: continue
    out = [str(int((t - t0).total_seconds()))]
    for c in cols:
        x = v.get(c)
        if x is None: out.append('-'); continue
        if c.endswith('MB'): out.append('%.1f' % (x / 1048576))
        elif c == 'alloc_MB/s': out.append('%.1f' % (x / 5 / 1048576))
        else: out.append('%d' % x)
    print(' '.join(out))
