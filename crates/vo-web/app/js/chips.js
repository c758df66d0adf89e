// A chip's buttons (switch off and on, invert, remove), for the form's constraints and the
// table's sub-filters alike.

export function chipButton(className, text, title, onClick) {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = className;
  button.textContent = text;
  button.title = title;
  button.addEventListener('click', onClick);
  return button;
}
