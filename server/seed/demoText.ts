// Words for the demo organisation.
export const contactNames = [
  'Olivia Smith', 'Jack Jones', 'Amelia Williams', 'Harry Brown', 'Isla Taylor', 'Oliver Davies', 'Ava Wilson', 'George Evans',
  'Mia Thomas', 'Noah Johnson', 'Sophia Roberts', 'Leo Walker', 'Grace Wright', 'Arthur Robinson', 'Lily Thompson', 'Oscar White',
  'Freya Hughes', 'Charlie Edwards', 'Emily Green', 'Henry Hall', 'Ella Wood', 'Theo Harris', 'Poppy Lewis', 'Alfie Martin',
  'Rosie Jackson', 'Archie Clarke', 'Evie Clark', 'Thomas Turner', 'Florence Hill', 'Jacob Scott', 'Sienna Cooper', 'Freddie Morris',
  'Daisy Ward', 'Finley Moore', 'Ivy King', 'Lucas Watson', 'Phoebe Baker', 'Max Harrison', 'Matilda Morgan', 'Teddy Patel',
  'Willow Young', 'Alexander Allen', 'Elsie Mitchell', 'Ethan James', 'Harper Anderson', 'Joshua Phillips', 'Ruby Lee', 'Samuel Bell',
  'Zara Parker', 'Reggie Davis',
];
export const inboundLines = [
  'Hi, is my order ready to collect?', 'Can I change my delivery address?', 'Thanks, that arrived today.', 'What time do you open on Saturday?',
  'I was charged twice, can you check?', 'Do you have this in a size 10?', 'Great, see you then!', 'Can I pay by bank transfer?',
  'The item arrived damaged, what should I do?', 'Could you send me the invoice again?', 'Is there parking nearby?', 'Perfect, thank you 😊',
];
export const outboundLines = [
  'Hi! Yes, it is ready — we are open until 6pm.', 'Of course, what is the new address?', 'Glad to hear it!', 'We open 9am–4pm on Saturdays.',
  'Sorry about that, I have refunded the duplicate payment.', 'Let me check the stock and come back to you.', 'See you then!',
  'Could you send a photo of the damage please?', 'I have resent it just now.', 'There is free parking behind the shop.',
];
export const noteLines = [
  'Customer prefers WhatsApp.', 'Refund approved by Alex.', 'Follow up next week about the wholesale order.', 'VIP — offer free delivery.',
  'Waiting on the supplier for stock.',
];
export const chatLines = [
  'Can someone cover Support at lunch?', 'The courier is late again today.', 'Nice work on the refunds queue!', 'Reminder: stock count on Friday.',
  'Who is on the late shift?', 'Remember to tag wholesale customers.',
];
