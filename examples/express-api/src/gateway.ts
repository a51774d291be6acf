import type { Request, Response } from 'express';

const ORDERS_URL = process.env.ORDERS_URL ?? 'http://orders.internal:8080';

export async function forwardToOrders(req: Request, res: Response) {
  const upstream = await fetch(`${ORDERS_URL}${req.originalUrl}`, {
    method: req.method,
    headers: { 'content-type': req.get('content-type') ?? 'application/json' },
    body: ['GET', 'HEAD'].includes(req.method) ? undefined : JSON.stringify(req.body),
  });
  res.status(upstream.status).send(await upstream.text());
}
