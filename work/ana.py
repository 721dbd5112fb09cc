import numpy as np
import os, signal, sys, time

def f(x, y, w1, w2):
    return w1, w2
