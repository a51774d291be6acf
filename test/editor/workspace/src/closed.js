import express from 'express';

const app = express();

app.get('/me', (req, res) => {
  if (!req.user) return res.status(401).json({ error: 'sign in' });
  res.json(req.user);
});

app.get('/orders', (req, res) => {
  if (!req.user) return res.sendStatus(401);
  res.json([]);
});
