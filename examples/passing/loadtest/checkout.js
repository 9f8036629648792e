// Peak-hour checkout traffic: p99 must stay under 400 ms.
import http from 'k6/http';
import { check, sleep } from 'k6';

export const options = {
  stages: [
    { duration: '1m', target: 50 },
    { duration: '3m', target: 50 },
    { duration: '1m', target: 0 },
  ],
  thresholds: {
    http_req_duration: ['p(99)<400'],
    http_req_failed: ['rate<0.001'],
  },
};

export default function () {
  const res = http.get(`${__ENV.BASE_URL || 'https://staging.example.com'}/checkout/cart`);
  check(res, { 'status is 200': (r) => r.status === 200 });
  sleep(1);
}
