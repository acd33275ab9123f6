"""Reference numbers for the metric tests, computed with scikit-learn 1.2.1 / numpy 1.24.

Run with `python3 src/core/metrics/sklearn-reference.py` (Debian's python3-sklearn). The
predictions repeat the formulas of testFixtures.ts operation for operation, in float64,
then round to float32 as the TypeScript Float32Array does.
"""
import os

import numpy as np
from sklearn.metrics import (accuracy_score, average_precision_score, balanced_accuracy_score,
                             brier_score_loss, confusion_matrix, f1_score, log_loss,
                             mean_absolute_error, mean_squared_error, precision_score,
                             r2_score, recall_score, roc_auc_score)
from sklearn.preprocessing import label_binarize

DATA = os.path.join(os.path.dirname(__file__), '..', '..', '..', 'examples', 'data') + '/'


def read(name):
    lines = open(DATA + name).read().strip().split('\n')
    return lines[0].split(','), [l.split(',') for l in lines[1:]]


def iris():
    _, rows = read('iris.csv')
    names = ['setosa', 'versicolor', 'virginica']
    centres = [[5.0, 3.4, 1.5, 0.25], [5.9, 2.8, 4.3, 1.3], [6.6, 3.0, 5.5, 2.0]]
    y = np.array([names.index(r[4]) for r in rows])
    p = []
    for r in rows:
        x = [float(v) for v in r[:4]]
        w = []
        for c in centres:
            d = 0.0
            for j in range(4):
                d += (x[j] - c[j]) * (x[j] - c[j])
            w.append(1 / (0.25 + d))
        t = w[0] + w[1] + w[2]
        p.append([v / t for v in w])
    return y, np.array(p).astype(np.float32).astype(np.float64)


def breast_cancer():
    header, rows = read('breast_cancer.csv')
    col = header.index('worst_concave_points')
    y = np.array([1 if r[-1] == 'malignant' else 0 for r in rows])
    m = [float(r[col]) / (float(r[col]) + 0.12) for r in rows]
    p = np.array([[1 - v, v] for v in m]).astype(np.float32).astype(np.float64)
    return y, p


def diabetes():
    header, rows = read('diabetes.csv')
    bmi, s5 = header.index('bmi'), header.index('s5')
    y = np.array([float(r[-1]) for r in rows])
    a = np.array([152 + 10 * (float(r[bmi]) - 26.4) for r in rows])
    b = np.array([152 + 6 * (float(r[bmi]) - 26.4) + 60 * (float(r[s5]) - 4.64) for r in rows])
    return y, a, b


def ece(y, p, bins=15):
    conf, pred = p.max(axis=1), p.argmax(axis=1)
    idx = np.clip(np.ceil(conf * bins).astype(int) - 1, 0, bins - 1)
    total = 0.0
    for b in range(bins):
        inside = idx == b
        if inside.any():
            gap = abs((pred[inside] == y[inside]).mean() - conf[inside].mean())
            total += gap * inside.sum()
    return total / len(y)


def show(name, value):
    print(f'{name} = {float(value)!r}')


y, p = iris()
pred = p.argmax(axis=1)
print('# iris, nearest-centre probabilities')
show('accuracy_score(y, pred)', accuracy_score(y, pred))
show('balanced_accuracy_score(y, pred)', balanced_accuracy_score(y, pred))
show("f1_score(y, pred, average='macro')", f1_score(y, pred, average='macro'))
show("f1_score(y, pred, average='weighted')", f1_score(y, pred, average='weighted'))
show("precision_score(y, pred, average='macro')", precision_score(y, pred, average='macro'))
show("recall_score(y, pred, average='weighted')", recall_score(y, pred, average='weighted'))
show("roc_auc_score(y, p, multi_class='ovr', average='macro')",
     roc_auc_score(y, p, multi_class='ovr', average='macro'))
show("average_precision_score(label_binarize(y, classes=[0, 1, 2]), p, average='macro')",
     average_precision_score(label_binarize(y, classes=[0, 1, 2]), p, average='macro'))
show('log_loss(y, p)', log_loss(y, p))
show('np.mean(np.sum((p - onehot) ** 2, axis=1))', np.mean(np.sum((p - np.eye(3)[y]) ** 2, axis=1)))
show('ece(y, p)  (numpy, 15 right-closed bins)', ece(y, p))
print('confusion_matrix(y, pred) =', confusion_matrix(y, pred).tolist())

y, p = breast_cancer()
pred = p.argmax(axis=1)
print('# breast cancer, p(malignant) = x / (x + 0.12)')
show('accuracy_score(y, pred)', accuracy_score(y, pred))
show('roc_auc_score(y, p[:, 1])', roc_auc_score(y, p[:, 1]))
show('average_precision_score(y, p[:, 1])', average_precision_score(y, p[:, 1]))
show('log_loss(y, p)', log_loss(y, p))
show('2 * brier_score_loss(y, p[:, 1])', 2 * brier_score_loss(y, p[:, 1]))
show("f1_score(y, pred, average='macro')", f1_score(y, pred, average='macro'))

print('# tiny binary case with tied scores')
y = np.array([0, 0, 1, 1, 0, 1, 1, 0])
s = np.array([0.125, 0.5, 0.5, 0.75, 0.25, 0.875, 0.5, 0.625])
show('roc_auc_score(y, s)', roc_auc_score(y, s))
show('average_precision_score(y, s)', average_precision_score(y, s))
show('log_loss(y, np.c_[1 - s, s])', log_loss(y, np.c_[1 - s, s]))
show('2 * brier_score_loss(y, s)', 2 * brier_score_loss(y, s))
show('accuracy_score(y, s > 0.5)', accuracy_score(y, (s > 0.5).astype(int)))

y, a, b = diabetes()
print('# diabetes, first = 152 + 10 (bmi - 26.4)')
show('mean_squared_error(y, a)', mean_squared_error(y, a))
show('mean_squared_error(y, a, squared=False)', mean_squared_error(y, a, squared=False))
show('mean_absolute_error(y, a)', mean_absolute_error(y, a))
show('r2_score(y, a)', r2_score(y, a))
show('np.corrcoef(a - y, b - y)[0, 1]', np.corrcoef(a - y, b - y)[0, 1])
show('r2_score([3, 3, 3], [3, 3, 3])', r2_score([3, 3, 3], [3, 3, 3]))
show('r2_score([3, 3, 3], [3, 4, 3])', r2_score([3, 3, 3], [3, 4, 3]))

print('# oracle outputs with N11=4, N10=3, N01=2, N00=1')
first = np.array([1, 1, 1, 1, 1, 1, 1, 0, 0, 0])
second = np.array([1, 1, 1, 1, 0, 0, 0, 1, 1, 0])
show('np.corrcoef(first, second)[0, 1]', np.corrcoef(first, second)[0, 1])
