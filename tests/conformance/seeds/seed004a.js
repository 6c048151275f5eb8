// Seed 004 (Sequelize's belongsToMany reference), the mixins of
// Author.belongsToMany(Book, { through: 'BookAuthor' }) in Sequelize 6's
// form: v6 has no `inverse`, so both sides are declared. seed004a.cpp is the
// junction translation.
'use strict';
const { DataTypes } = require('sequelize');
const { connect, step, run } = require('../harness');

run(async (url) => {
  const sequelize = connect(url);
  const Author = sequelize.define('Author', { name: DataTypes.STRING });
  const Book = sequelize.define('Book', { title: DataTypes.STRING });
  Author.belongsToMany(Book, { through: 'BookAuthor' });
  Book.belongsToMany(Author, { through: 'BookAuthor' });

  await step('sync', () => sequelize.sync({ force: true }).then(() => null));
  await step('authors and books', async () => {
    await Author.bulkCreate([{ name: 'Ann' }, { name: 'Bob' }]);
    return Book.bulkCreate([{ title: 'One' }, { title: 'Two' }, { title: 'Three' }, { title: 'Four' }]);
  });
  const author = async () => Author.findByPk(1);
  const three = async () => Book.findAll({ limit: 3, order: [['id', 'ASC']] });

  await step('setBooks([book1, book2, book3])', async () => {
    const [book1, book2, book3] = await three();
    await (await author()).setBooks([book1, book2, book3]);
    return null;
  });
  await step('getBooks', async () => (await author()).getBooks({ order: [['id', 'ASC']] }));
  await step('setBooks([1, 2, 3])', async () => {
    await (await author()).setBooks([1, 2, 3]);
    return null;
  });
  await step('removeBook(book1)', async () => {
    const [book1] = await three();
    return (await author()).removeBook(book1);
  });
  await step('removeBooks([book1, book2])', async () => {
    const [book1, book2] = await three();
    return (await author()).removeBooks([book1, book2]);
  });
  await step('addBook(book1)', async () => {
    const [book1] = await three();
    return (await author()).addBook(book1);
  });
  await step('addBooks([book1, book2])', async () => {
    const [book1, book2] = await three();
    return (await author()).addBooks([book1, book2]);
  });
  await step('addBook(4)', async () => (await author()).addBook(4));
  await step('removeBook(1)', async () => (await author()).removeBook(1));
  await step('removeBooks([1, 2, 3])', async () => (await author()).removeBooks([1, 2, 3]));
  await step('addBooks([1, 2, 3])', async () => (await author()).addBooks([1, 2, 3]));
  await step('createBook', async () => (await author()).createBook({ title: 'Five' }));
  await step('hasBook(book1)', async () => {
    const [book1] = await three();
    return (await author()).hasBook(book1);
  });
  await step('hasBooks([book1, book2, book3])', async () => (await author()).hasBooks(await three()));
  await step('hasBooks([1, 2, 4])', async () => (await author()).hasBooks([1, 2, 4]));
  await step('countBooks', async () => (await author()).countBooks());
  await step('countBooks where', async () => (await author()).countBooks({ where: { title: 'Five' } }));
  await step('getAuthors of book 2', async () => (await Book.findByPk(2)).getAuthors());
  await step('include both ways', () => Author.findAll({
    include: [{ model: Book, through: { attributes: [] } }],
    order: [['id', 'ASC'], [Book, 'id', 'ASC']],
  }));
  await step('add an author that does not exist', async () => (await Book.findByPk(1)).addAuthor(99));
  await sequelize.close();
});
