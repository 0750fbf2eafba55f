import express from 'express';
import { z } from 'zod';
import _ from 'lodash';

const Order = z.object({ item: z.string(), quantity: z.number().int().positive() });

const app = express();
app.use(express.json());

app.post('/orders', (req, res) => {
  const parsed = Order.safeParse(req.body);
  if (!parsed.success) {
    res.status(400).json({ errors: parsed.error.issues });
    return;
  }
  res.json({ id: _.uniqueId('order-'), ...parsed.data });
});

app.listen(3000);
