// bench/peer-sdk.mjs: the OpenAI npm SDK streaming one chat completion, its
// text on stdout as it comes (bench/run peers copies it beside the SDK it
// installed, so that "openai" resolves there).
//
//   node peer-sdk.mjs BASE_URL MODEL PROMPT
import OpenAI from 'openai';

const [baseURL, model, prompt] = process.argv.slice(2);
const client = new OpenAI({ baseURL, apiKey: process.env.BENCH_API_KEY || 'sk-bench' });
const stream = await client.chat.completions.create({
  model,
  stream: true,
  messages: [{ role: 'user', content: prompt }],
});
for await (const chunk of stream) {
  const text = chunk.choices?.[0]?.delta?.content;
  if (text) process.stdout.write(text);
}
