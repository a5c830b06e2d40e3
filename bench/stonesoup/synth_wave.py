#!/usr/bin/env python3
"""Test helper: a crude synthetic wave for scaling checks (not the simulator).

    python bench/stonesoup/synth_wave.py N_DRONES DURATION_S OUT_DIR

N drones at 50 m/s entering from the north with slow random turns, one 3D radar
(4 s rotation, Pd 0.9, sd 20 m / 0.3 deg / 0.4 deg), rx = t + 0.3; truth and labels.
Seeded (3), so reproducible. Use skywatch sim for real scenarios.
"""
import json, numpy as np, pymap3d, os, sys
N=int(sys.argv[1]); D=float(sys.argv[2]); out=sys.argv[3]
rng=np.random.default_rng(3)
lat0,lon0=38.0,127.75
radar={"id":"R1","kind":"radar","lat":37.9,"lon":127.73,"alt_m":250.0,"max_range_m":60000.0,"scan_period_s":4.0,"sd_range_m":20.0,"sd_az_deg":0.3,"sd_el_deg":0.4}
os.makedirs(out,exist_ok=True)
json.dump({"format":"skywatch-scenario/1","name":f"wave{N}","epoch":"2026-11-25T03:00:00Z","duration_s":D,"centre":{"lat":lat0,"lon":lon0,"alt_m":0.0},"sensors":[radar]},open(out+'/scenario.json','w'))
# drones start on the north edge, fly south-ish at 50 m/s, with slow turns
p=np.column_stack([rng.uniform(-30e3,30e3,N), rng.uniform(25e3,40e3,N), rng.uniform(300,2000,N)])
hd=rng.uniform(160,200,N)*np.pi/180; w=rng.normal(0,0.5,N)*np.pi/180
truth=[];reps=[]
re,rn,ru=pymap3d.geodetic2enu(radar['lat'],radar['lon'],radar['alt_m'],lat0,lon0,0)
for t in range(int(D)+1):
    v=np.column_stack([50*np.sin(hd),50*np.cos(hd),np.zeros(N)])
    la,lo,al=pymap3d.enu2geodetic(p[:,0],p[:,1],p[:,2],lat0,lon0,0)
    for i in range(N): truth.append({"t":float(t),"id":f"D{i:04d}","class":"drone","lat":float(la[i]),"lon":float(lo[i]),"alt_m":float(al[i]),"vn":float(v[i,1]),"ve":float(v[i,0]),"vu":0.0})
    # radar: beam sweeps 360 deg in 4 s; plot when beam crosses the object (approx at whole-second resolution with sub-second t)
    az,el,sr=pymap3d.geodetic2aer(la,lo,al,radar['lat'],radar['lon'],radar['alt_m'])
    for i in range(N):
        tb=(t//4)*4+az[i]/360*4
        if t<=tb<t+1 and sr[i]<60000 and rng.uniform()<0.9:
            reps.append({"t":round(tb,3),"rx":round(tb+0.3,3),"sensor":"R1","kind":"radar","range_m":float(sr[i]+rng.normal(0,20)),"az_deg":float((az[i]+rng.normal(0,0.3))%360),"el_deg":float(el[i]+rng.normal(0,0.4)),"sd_range_m":20.0,"sd_az_deg":0.3,"sd_el_deg":0.4,"_truth":f"D{i:04d}"})
    p=p+v; hd=hd+w
reps.sort(key=lambda r:r['rx'])
with open(out+'/reports.jsonl','w') as f, open(out+'/labels.jsonl','w') as g:
    for r in reps: g.write(json.dumps({"truth":r.pop('_truth')})+"\n"); f.write(json.dumps(r)+"\n")
with open(out+'/truth.jsonl','w') as f:
    for r in truth: f.write(json.dumps(r)+"\n")
print(len(reps),"reports")
