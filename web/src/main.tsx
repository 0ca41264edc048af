import { render } from 'preact';
import { App } from './components/App';
import { start } from './state/sync';
import './styles.css';

const root = document.getElementById('app');
if (root) {
  render(<App />, root);
  void start();
}
